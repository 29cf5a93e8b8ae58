package controller

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// TestRecoveryFollowsContractTables checks every row of the contract's
// error tables ("Auto Retry Required" Y → retry).
func TestRecoveryFollowsContractTables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op   operation
		code codes.Code
		want recovery
	}{
		{opCreate, codes.OK, proceed},
		{opCreate, codes.Canceled, fail},
		{opCreate, codes.Unknown, retry},
		{opCreate, codes.InvalidArgument, fail},
		{opCreate, codes.DeadlineExceeded, retry},
		{opCreate, codes.AlreadyExists, fail},
		{opCreate, codes.PermissionDenied, fail},
		{opCreate, codes.ResourceExhausted, fail},
		{opCreate, codes.FailedPrecondition, fail},
		{opCreate, codes.Aborted, retry},
		{opCreate, codes.OutOfRange, fail},
		{opCreate, codes.Unimplemented, fail},
		{opCreate, codes.Internal, fail},
		{opCreate, codes.Unavailable, retry},
		{opCreate, codes.Unauthenticated, fail},
		{opInitialize, codes.NotFound, proceed},
		{opInitialize, codes.Unimplemented, proceed},
		{opInitialize, codes.Internal, retry},
		{opInitialize, codes.Uninitialized, retry},
		{opDelete, codes.Unknown, retry},
		{opDelete, codes.InvalidArgument, fail},
		{opDelete, codes.DeadlineExceeded, retry},
		{opDelete, codes.PermissionDenied, fail},
		{opDelete, codes.FailedPrecondition, fail},
		{opDelete, codes.Aborted, retry},
		{opDelete, codes.Unimplemented, fail},
		{opDelete, codes.Internal, fail},
		{opDelete, codes.Unavailable, retry},
		{opDelete, codes.Unauthenticated, fail},
		{opStatus, codes.NotFound, proceed},
		{opStatus, codes.OutOfRange, retry},
		{opStatus, codes.Unimplemented, proceed},
		{opStatus, codes.Uninitialized, proceed},
		{opStatus, codes.Unavailable, retry},
		{opStatus, codes.PermissionDenied, fail},
		{opList, codes.Unavailable, retry},
		{opList, codes.Unauthenticated, fail},
	}
	for _, tc := range tests {
		if got := recoveryFor(tc.op, tc.code); got != tc.want {
			t.Errorf("recoveryFor(%s, %s) = %d, want %d", tc.op, tc.code, got, tc.want)
		}
	}
}

func TestClassifyUsesTypesNotText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		err       error
		code      codes.Code
		nonStatus bool
	}{
		{"status", status.Error(codes.ResourceExhausted, "quota"), codes.ResourceExhausted, false},
		{"wrapped status", fmt.Errorf("ctx: %w", status.Error(codes.Unavailable, "down")), codes.Unavailable, false},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), codes.DeadlineExceeded, false},
		{"canceled", context.Canceled, codes.Canceled, false},
		// A plain error whose text looks like a status must not be parsed.
		{"plain lookalike", errors.New("machine codes error: code = [NotFound] message = [x]"), codes.Unknown, true},
	}
	for _, tc := range tests {
		ce := classify(opCreate, tc.err)
		if ce.Code != tc.code || ce.NonStatus != tc.nonStatus {
			t.Errorf("%s: classify = (%s, nonStatus=%v), want (%s, %v)", tc.name, ce.Code, ce.NonStatus, tc.code, tc.nonStatus)
		}
		if !errors.Is(ce, tc.err) {
			t.Errorf("%s: callError does not unwrap to the driver's error", tc.name)
		}
	}
	if classify(opCreate, nil) != nil {
		t.Error("classify(nil) != nil")
	}
}
