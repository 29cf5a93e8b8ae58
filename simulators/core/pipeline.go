package core

// Call describes one API call for Do, the request pipeline every
// front-end shares.
type Call struct {
	// Operation is the API action fault rules and the event log name
	// ("RunInstances", "CreateServer").
	Operation string
	// Attrs are the call's fault-rule attributes, declared by the
	// front-end where it registers the action.
	Attrs map[string]string
	// Absorb, when set, sees an injected fault first and returns true if
	// the front-end models it itself (Nova accepts a server and then fails
	// its build on NoValidHost); the call then goes on as if no fault fired.
	Absorb func(*FaultError) bool
}

// Do runs act as one API call: the cloud's fault rules decide first, any
// latency they inject passes on the cloud's clock, an injected error is
// returned instead of acting, and with commit-then-fail act runs and its
// answer is lost (the fault is returned although the effect happened).
// Injected errors come back as *FaultError; act's own errors as they are.
func Do[T any](c *Cloud, call Call, act func() (T, error)) (T, error) {
	d := c.Intercept(call.Operation, call.Attrs)
	if d.Latency > 0 {
		c.clock.Sleep(d.Latency)
	}
	if d.Err != nil && call.Absorb != nil && call.Absorb(d.Err) {
		d.Err = nil
	}
	var zero T
	if d.Err != nil && !d.CommitThenFail {
		return zero, d.Err
	}
	out, err := act()
	if d.Err != nil && err == nil {
		return zero, d.Err // the effect happened; the answer is lost
	}
	return out, err
}
