package machinecode

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

func TestOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err      error
		code     codes.Code
		isStatus bool
		msg      string
	}{
		{nil, codes.OK, true, ""},
		{status.Error(codes.NotFound, "gone"), codes.NotFound, true, "gone"},
		{fmt.Errorf("wrapped: %w", status.Error(codes.Unavailable, "busy")), codes.Unavailable, true, "busy"},
		{errors.New("machine codes error: code = [NotFound] message = [x]"), codes.Unknown, false, ""},
	}
	for _, tc := range tests {
		code, isStatus := Of(tc.err)
		if code != tc.code || isStatus != tc.isStatus || Message(tc.err) != tc.msg {
			t.Errorf("Of(%v) = %s, %v, %q; want %s, %v, %q", tc.err, code, isStatus, Message(tc.err), tc.code, tc.isStatus, tc.msg)
		}
	}
}
