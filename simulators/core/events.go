package core

import "time"

// EventKind classifies the event log.
type EventKind string

const (
	KindCall  EventKind = "call"  // an API call and its outcome
	KindState EventKind = "state" // a VM changed state
	KindFault EventKind = "fault" // a fault rule fired
	KindChaos EventKind = "chaos" // a chaos action
)

// Event is one line of the cloud's log.
type Event struct {
	Seq       int
	Time      time.Time
	Kind      EventKind
	Operation string // API action, for calls and faults
	VMID      string
	Code      string // error code of a failed call, empty on success
	Detail    string
}

// Record appends a call or other event; front-ends log every API call.
func (c *Cloud) Record(e Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.record(e)
}

func (c *Cloud) record(e Event) {
	e.Seq = len(c.events) + 1
	if e.Time.IsZero() {
		e.Time = c.clock.Now()
	}
	c.events = append(c.events, e)
}

// Events returns a copy of the log.
func (c *Cloud) Events() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Event(nil), c.events...)
}
