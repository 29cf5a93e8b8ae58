package controller

import (
	"context"
	"errors"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// operation names a driver method, as the contract's error tables do.
type operation string

const (
	opCreate     operation = "CreateMachine"
	opInitialize operation = "InitializeMachine"
	opDelete     operation = "DeleteMachine"
	opStatus     operation = "GetMachineStatus"
	opList       operation = "ListMachines"
)

// recovery is what the controller does after a driver call returned a code.
type recovery int

const (
	// proceed: the call succeeded, or its code means "carry on"
	// (InitializeMachine NotFound/Unimplemented, GetMachineStatus NotFound).
	proceed recovery = iota
	// retry: "Auto Retry Required: Y"; requeue with backoff.
	retry
	// fail: "Auto Retry Required: N" with a recovery that needs a human
	// (fix the spec, the credentials, the quota...): record the driver's
	// message and stop retrying on our own.
	fail
)

// transient codes are retried for every operation whose table lists them with
// "Retry operation after sometime".
var transient = map[codes.Code]bool{
	codes.Unknown:          true,
	codes.DeadlineExceeded: true,
	codes.Aborted:          true,
	codes.Unavailable:      true,
}

// recoveryFor maps a code returned by op to the recovery the contract's
// "Recovery Behavior" and "Auto Retry Required" columns give. Codes a table
// does not list for op are treated as failures: the driver broke the contract
// and a human has to look.
func recoveryFor(op operation, code codes.Code) recovery {
	if code == codes.OK {
		return proceed
	}
	switch op {
	case opInitialize:
		switch code {
		case codes.NotFound, codes.Unimplemented:
			return proceed // "Skip Initialization and Continue"
		case codes.Internal, codes.Uninitialized:
			return retry
		}
	case opStatus:
		switch code {
		case codes.NotFound, codes.Unimplemented, codes.Uninitialized:
			return proceed // the caller decides: create, or initialize
		case codes.OutOfRange:
			return retry // several VMs: the safety sweep cleans up, then we retry
		}
	}
	if transient[code] {
		return retry
	}
	return fail
}

// callError describes a failed driver call in the terms of the contract.
type callError struct {
	Op        operation
	Code      codes.Code
	Message   string
	NonStatus bool // the driver returned an error that is not a machine status
	Err       error
}

func (e *callError) Error() string {
	msg := string(e.Op) + " failed with code " + e.Code.String() + ": " + e.Message
	if e.NonStatus {
		msg += " (the driver returned a plain error; the contract requires a machine status code)"
	}
	return msg
}

func (e *callError) Unwrap() error { return e.Err }

// classify turns a driver error into a callError. It never parses message
// text: a *status.Status anywhere in the chain gives the code; context errors
// map to their codes; anything else is Unknown and flagged as a contract
// breach.
func classify(op operation, err error) *callError {
	if err == nil {
		return nil
	}
	code, isStatus := machinecode.Of(err)
	switch {
	case isStatus:
		return &callError{Op: op, Code: code, Message: machinecode.Message(err), Err: err}
	case errors.Is(err, context.DeadlineExceeded):
		return &callError{Op: op, Code: codes.DeadlineExceeded, Message: err.Error(), Err: err}
	case errors.Is(err, context.Canceled):
		return &callError{Op: op, Code: codes.Canceled, Message: err.Error(), Err: err}
	default:
		return &callError{Op: op, Code: codes.Unknown, Message: err.Error(), NonStatus: true, Err: err}
	}
}
