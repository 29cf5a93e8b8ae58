// Package machinecode reads the machine code of a driver error by type,
// never by parsing its text (MCM's status.FromError parses strings).
package machinecode

import (
	"errors"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// Of returns the code of err: OK for nil, the code of the *status.Status in
// err's chain, or (Unknown, false) when err carries no machine status,
// which the driver contract forbids.
func Of(err error) (codes.Code, bool) {
	if err == nil {
		return codes.OK, true
	}
	var st *status.Status
	if errors.As(err, &st) {
		return st.Code(), true
	}
	return codes.Unknown, false
}

// Message returns the status message of err, or "" when it has none.
func Message(err error) string {
	var st *status.Status
	if errors.As(err, &st) {
		return st.Message()
	}
	return ""
}
