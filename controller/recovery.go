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

// transient codes are the ones every table of the contract answers with
// "Retry operation after sometime"; MCM retries them after ShortRetry.
var transient = map[codes.Code]bool{
	codes.Unknown:          true,
	codes.DeadlineExceeded: true,
	codes.Aborted:          true,
	codes.Unavailable:      true,
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
