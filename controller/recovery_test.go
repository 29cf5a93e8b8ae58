package controller

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

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
