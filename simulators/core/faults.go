package core

import "time"

// FaultRule injects a failure, a delay or both into matching calls. Rules
// are tried in order and the first match fires, as in LocalStack's chaos API.
type FaultRule struct {
	// Name identifies the rule in the event log and errors.
	Name string
	// Operation is the API action ("RunInstances"), or "*" for all.
	Operation string
	// Match requires each attribute of the call to equal the value given
	// ("*" means present with any value). Front-ends document their attributes.
	Match map[string]string
	// Probability in (0,1) fires the rule that often, from the cloud's seed;
	// 0 or 1 fire it every time.
	Probability float64
	// Skip lets the first Skip matching calls through.
	Skip int
	// Count stops the rule after it fired Count times; 0 means no limit.
	Count int
	// Error is returned to the caller; nil injects only Latency.
	Error *FaultError
	// Latency delays the call (on the cloud's clock).
	Latency time.Duration
	// CommitThenFail performs the call, then answers with Error: the caller
	// sees a failure although the effect happened (a lost response).
	CommitThenFail bool
}

type faultState struct {
	rule    FaultRule
	matched int
	fired   int
}

// Decision is what Intercept tells a front-end to do with a call.
type Decision struct {
	Err            *FaultError
	Latency        time.Duration
	CommitThenFail bool
}

// AddFault appends a rule.
func (c *Cloud) AddFault(r FaultRule) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults = append(c.faults, &faultState{rule: r})
}

// ClearFaults removes every rule.
func (c *Cloud) ClearFaults() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults = nil
}

// Intercept decides the fate of one call of operation with attrs. Front-ends
// call it first thing for every action.
func (c *Cloud) Intercept(operation string, attrs map[string]string) Decision {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.faults {
		r := f.rule
		if r.Operation != "*" && r.Operation != operation || !matches(r.Match, attrs) {
			continue
		}
		if r.Count > 0 && f.fired >= r.Count {
			continue
		}
		f.matched++
		if f.matched <= r.Skip {
			continue
		}
		if r.Probability > 0 && r.Probability < 1 && c.rng.Float64() >= r.Probability {
			continue
		}
		f.fired++
		d := Decision{Latency: r.Latency, CommitThenFail: r.CommitThenFail}
		code := ""
		if r.Error != nil {
			e := *r.Error
			e.Rule = r.Name
			d.Err = &e
			code = e.Code
		}
		c.record(Event{Kind: KindFault, Operation: operation, Code: code, Detail: "rule " + r.Name})
		return d
	}
	return Decision{}
}

func matches(want, got map[string]string) bool {
	for k, v := range want {
		have, ok := got[k]
		if !ok || (v != "*" && v != have) {
			return false
		}
	}
	return true
}
