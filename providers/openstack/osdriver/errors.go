package osdriver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/gophercloud/gophercloud/v2"
)

// quotaText is how Nova's 403 and Neutron's 409 say a quota is exhausted
// ("Quota exceeded for instances: ...", "Quota exceeded for resources:
// ['port']"). The services give no other sign, so this text is read.
var quotaText = []byte("Quota exceeded")

// codeForStatus maps an OpenStack API's HTTP status to a machine code, as
// the contract's tables ask: capacity and limits are ResourceExhausted,
// throttling and server trouble Unavailable, bad credentials
// Unauthenticated, refusals PermissionDenied, bad requests InvalidArgument.
func codeForStatus(httpStatus int, body []byte) codes.Code {
	switch {
	case httpStatus == http.StatusBadRequest:
		return codes.InvalidArgument
	case httpStatus == http.StatusUnauthorized:
		return codes.Unauthenticated
	case httpStatus == http.StatusForbidden && bytes.Contains(body, quotaText):
		return codes.ResourceExhausted
	case httpStatus == http.StatusForbidden:
		return codes.PermissionDenied
	case httpStatus == http.StatusNotFound:
		return codes.NotFound
	case httpStatus == http.StatusConflict && bytes.Contains(body, quotaText):
		return codes.ResourceExhausted
	case httpStatus == http.StatusConflict:
		return codes.Aborted
	case httpStatus == http.StatusRequestEntityTooLarge:
		return codes.ResourceExhausted
	case httpStatus == http.StatusTooManyRequests, httpStatus >= 500:
		return codes.Unavailable
	}
	return codes.Unknown
}

// machineError turns a gophercloud error of operation op into a machine
// status whose message says what was asked and what the cloud answered.
func machineError(op string, err error) error {
	if err == nil {
		return nil
	}
	var st *status.Status
	if errors.As(err, &st) {
		return err
	}
	var re gophercloud.ErrUnexpectedResponseCode
	switch {
	case errors.As(err, &re):
		msg := fmt.Sprintf("%s: %s %s answered HTTP %d: %s", op, re.Method, re.URL, re.Actual, bytes.TrimSpace(re.Body))
		return status.WrapError(codeForStatus(re.Actual, re.Body), msg, err)
	case errors.Is(err, context.DeadlineExceeded):
		return status.WrapError(codes.DeadlineExceeded, op+": "+err.Error(), err)
	case errors.Is(err, context.Canceled):
		return status.WrapError(codes.Canceled, op+": "+err.Error(), err)
	}
	var ue *url.Error
	if errors.As(err, &ue) { // the cloud could not be reached: worth a retry
		return status.WrapError(codes.Unavailable, op+": "+err.Error(), err)
	}
	return status.WrapError(codes.Internal, op+": "+err.Error(), err)
}

// isNotFound says whether err is an OpenStack 404.
func isNotFound(err error) bool { return gophercloud.ResponseCodeIs(err, http.StatusNotFound) }

// withNote appends note to the message of the status err, keeping its code.
func withNote(err error, note string) error {
	var st *status.Status
	if !errors.As(err, &st) {
		return status.WrapError(codes.Internal, err.Error()+note, err)
	}
	return status.WrapError(st.Code(), st.Message()+note, err)
}
