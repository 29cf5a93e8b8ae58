package altaws

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// apiCodes maps EC2 error codes to the contract's machine codes: capacity
// and account limits are ResourceExhausted (a human raises the limit),
// throttling and server trouble Unavailable (retried; the SDK has already
// retried them), bad credentials Unauthenticated, missing IAM permissions
// PermissionDenied, bad parameters InvalidArgument.
var apiCodes = map[string]codes.Code{
	"InsufficientInstanceCapacity": codes.ResourceExhausted,
	"InstanceLimitExceeded":        codes.ResourceExhausted,
	"VcpuLimitExceeded":            codes.ResourceExhausted,
	"MaxSpotInstanceCountExceeded": codes.ResourceExhausted,
	"RequestLimitExceeded":         codes.Unavailable,
	"Throttling":                   codes.Unavailable,
	"ServiceUnavailable":           codes.Unavailable,
	"Unavailable":                  codes.Unavailable,
	"InternalError":                codes.Unavailable,
	"InternalFailure":              codes.Unavailable,
	"AuthFailure":                  codes.Unauthenticated,
	"InvalidClientTokenId":         codes.Unauthenticated,
	"SignatureDoesNotMatch":        codes.Unauthenticated,
	"UnauthorizedOperation":        codes.PermissionDenied,
	"InvalidParameterValue":        codes.InvalidArgument,
	"InvalidParameterCombination":  codes.InvalidArgument,
	"MissingParameter":             codes.InvalidArgument,
	// The machine's client token launched a VM with other parameters
	// that the lookup by tags no longer sees: retrying cannot help.
	"IdempotentParameterMismatch": codes.Internal,
}

// apiFamilies maps families of EC2 error codes (the part before the first
// dot, as in InvalidAMIID.NotFound) to machine codes, and to the field a
// user should fix.
var apiFamilies = map[string]struct {
	code  codes.Code
	field string
}{
	"InvalidAMIID":    {codes.InvalidArgument, "providerSpec.imageId"},
	"InvalidSubnetID": {codes.InvalidArgument, "providerSpec.subnetId"},
	"InvalidGroup":    {codes.InvalidArgument, "providerSpec.securityGroupIds"},
	"InvalidKeyPair":  {codes.InvalidArgument, ""}, // the spec names no key pair; an account policy may
}

// classify returns the machine code for an error of an EC2 call, by type
// and API error code, never by message text.
func classify(err error) codes.Code {
	var ae smithy.APIError
	var se *smithy.SerializationError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return codes.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return codes.Canceled
	case errors.As(err, &ae):
		if c, ok := apiCodes[ae.ErrorCode()]; ok {
			return c
		}
		if f, ok := apiFamilies[family(ae.ErrorCode())]; ok {
			return f.code
		}
		return codes.Unknown
	case errors.As(err, &se):
		return codes.Internal // the driver built a request the SDK cannot send
	}
	return codes.Unavailable // no answer: network, DNS, TLS, a closed connection
}

func family(code string) string {
	f, _, _ := strings.Cut(code, ".")
	return f
}

// fail turns the error of EC2 operation op into a machine status whose
// message says what failed and, for parameter errors, which field to fix.
// Secret values are cut out of it, as some EC2 messages quote the key ID.
func (c *call) fail(op string, err error) error {
	msg := fmt.Sprintf("EC2 %s failed: %v", op, err)
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg = fmt.Sprintf("EC2 %s failed with %s: %s", op, ae.ErrorCode(), ae.ErrorMessage())
		if f := apiFamilies[family(ae.ErrorCode())]; f.field != "" {
			msg += " (check " + f.field + ")"
		}
	}
	return status.Error(classify(err), c.creds.redact(msg))
}

// minSecretLen is the shortest secret value cut out of messages; shorter
// ones would mangle every message and reveal nothing.
const minSecretLen = 4

// redact replaces every secret value in msg by the name of its key.
func (cr credentials) redact(msg string) string {
	for _, s := range []struct{ key, value string }{
		{SecretSecretAccessKey, cr.secretAccessKey},
		{SecretAccessKeyID, cr.accessKeyID},
		{SecretUserData, string(cr.userData)},
		{SecretUserData, base64.StdEncoding.EncodeToString(cr.userData)},
	} {
		if len(s.value) >= minSecretLen {
			msg = strings.ReplaceAll(msg, s.value, "<secret."+s.key+">")
		}
	}
	return msg
}
