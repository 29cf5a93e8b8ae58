package core

import (
	"fmt"
	"time"
)

// Operation is a long-running operation, as clouds answer a create or a
// delete before it is done (GCE's Operation polled with
// zoneOperations.get, Azure's Azure-AsyncOperation): the front-end starts
// it with the effect and the time it takes, and answers each poll from
// Operation(id), on the cloud's clock.
type Operation struct {
	ID      string
	Kind    string // what it does, e.g. "insert", "delete"
	Target  string // the VM (or other resource) it acts on
	Started time.Time
	// Done is true once its time has passed on the cloud's clock.
	Done bool
	// Err is the failure it ends with, if it fails (set when Done).
	Err *FaultError

	takes time.Duration
	fail  *FaultError
}

// StartOperation records an operation that is done after takes on the
// cloud's clock, ending with fail (nil: success).
func (c *Cloud) StartOperation(kind, target string, takes time.Duration, fail *FaultError) Operation {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.operations == nil {
		c.operations = map[string]*Operation{}
	}
	op := &Operation{ID: "operation-" + c.newIDLocked("", 16), Kind: kind, Target: target,
		Started: c.clock.Now(), takes: takes, fail: fail}
	c.operations[op.ID] = op
	c.record(Event{Kind: KindCall, Operation: "StartOperation", VMID: target, Detail: kind + " " + op.ID})
	return c.operationLocked(op)
}

// Operation returns operation id as it stands now.
func (c *Cloud) Operation(id string) (Operation, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	op, ok := c.operations[id]
	if !ok {
		return Operation{}, fmt.Errorf("%w: operation %s", ErrNotFound, id)
	}
	return c.operationLocked(op), nil
}

func (c *Cloud) operationLocked(op *Operation) Operation {
	out := *op
	if !c.clock.Now().Before(op.Started.Add(op.takes)) {
		out.Done, out.Err = true, op.fail
	}
	return out
}
