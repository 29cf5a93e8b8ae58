package core

import (
	"errors"
	"fmt"
)

// ErrNotFound: no such VM (or not visible yet under ReadLag).
var ErrNotFound = errors.New("no such VM")

// ErrIdempotentMismatch: a client token was reused with other parameters.
var ErrIdempotentMismatch = errors.New("client token reused with different parameters")

// QuotaError says which quota a launch would exceed.
type QuotaError struct {
	Resource  string // "instances" or "vcpus"
	Limit     int
	InUse     int
	Requested int
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%s quota exceeded: limit %d, in use %d, requested %d", e.Resource, e.Limit, e.InUse, e.Requested)
}

// FaultError is an error a fault rule injects, in the front-end's terms.
type FaultError struct {
	Code    string // the cloud's error code, e.g. RequestLimitExceeded
	Status  int    // the HTTP status to answer with
	Message string
	Rule    string // the rule that fired
}

// WithDefaults is the fault as a front-end answers it: the rule's status,
// or status when the rule set none, and its message, or one naming the rule.
func (e *FaultError) WithDefaults(status int) FaultError {
	f := *e
	if f.Status == 0 {
		f.Status = status
	}
	if f.Message == "" {
		f.Message = "injected by fault rule " + f.Rule
	}
	return f
}

func (e *FaultError) Error() string {
	return fmt.Sprintf("injected fault %s (rule %q): %d %s", e.Code, e.Rule, e.Status, e.Message)
}
