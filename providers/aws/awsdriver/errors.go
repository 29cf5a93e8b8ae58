package awsdriver

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// codeFor maps EC2 error codes to machine codes, as the contract's tables
// ask: capacity and limits are ResourceExhausted, throttling and server
// trouble Unavailable, bad credentials Unauthenticated, missing permissions
// PermissionDenied, bad parameters InvalidArgument.
var codeFor = map[string]codes.Code{
	"InsufficientInstanceCapacity":      codes.ResourceExhausted,
	"InstanceLimitExceeded":             codes.ResourceExhausted,
	"VcpuLimitExceeded":                 codes.ResourceExhausted,
	"InsufficientFreeAddressesInSubnet": codes.ResourceExhausted,
	"RequestLimitExceeded":              codes.Unavailable,
	"Throttling":                        codes.Unavailable,
	"ServiceUnavailable":                codes.Unavailable,
	"Unavailable":                       codes.Unavailable,
	"InternalError":                     codes.Unavailable,
	"InternalFailure":                   codes.Unavailable,
	"AuthFailure":                       codes.Unauthenticated,
	"InvalidClientTokenId":              codes.Unauthenticated,
	"SignatureDoesNotMatch":             codes.Unauthenticated,
	"UnauthorizedOperation":             codes.PermissionDenied,
	"Blocked":                           codes.PermissionDenied,
	"InvalidParameterValue":             codes.InvalidArgument,
	"InvalidParameterCombination":       codes.InvalidArgument,
	"MissingParameter":                  codes.InvalidArgument,
	"InvalidAMIID.NotFound":             codes.InvalidArgument,
	"InvalidAMIID.Malformed":            codes.InvalidArgument,
	"InvalidSubnetID.NotFound":          codes.InvalidArgument,
	"InvalidGroup.NotFound":             codes.InvalidArgument,
	"IdempotentParameterMismatch":       codes.AlreadyExists,
}

// machineError turns an SDK error of operation op into a machine status.
func machineError(op string, err error) error {
	if err == nil {
		return nil
	}
	msg := fmt.Sprintf("%s: %v", op, err)
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg = fmt.Sprintf("%s: %s: %s", op, ae.ErrorCode(), ae.ErrorMessage())
		if c, ok := codeFor[ae.ErrorCode()]; ok {
			return status.WrapError(c, msg, err)
		}
	}
	var re *smithyhttp.ResponseError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return status.WrapError(codes.DeadlineExceeded, msg, err)
	case errors.Is(err, context.Canceled):
		return status.WrapError(codes.Canceled, msg, err)
	case errors.As(err, &re) && re.HTTPStatusCode() >= 500:
		return status.WrapError(codes.Unavailable, msg, err)
	}
	return status.WrapError(codes.Unknown, msg, err)
}

// isNotFound says whether err is EC2's "no such instance".
func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "InvalidInstanceID.NotFound"
}
