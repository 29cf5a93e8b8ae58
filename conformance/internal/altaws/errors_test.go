package altaws

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// sdkError wraps an EC2 error answer as the SDK returns it.
func sdkError(code, msg string) error {
	return &smithy.OperationError{ServiceID: "EC2", OperationName: "RunInstances",
		Err: &smithyhttp.ResponseError{Err: &smithy.GenericAPIError{Code: code, Message: msg}}}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want codes.Code
	}{
		{sdkError("InsufficientInstanceCapacity", "no m5.large in us-east-1a"), codes.ResourceExhausted},
		{sdkError("InstanceLimitExceeded", "x"), codes.ResourceExhausted},
		{sdkError("VcpuLimitExceeded", "x"), codes.ResourceExhausted},
		{sdkError("MaxSpotInstanceCountExceeded", "x"), codes.ResourceExhausted},
		{sdkError("RequestLimitExceeded", "x"), codes.Unavailable},
		{sdkError("Throttling", "x"), codes.Unavailable},
		{sdkError("ServiceUnavailable", "x"), codes.Unavailable},
		{sdkError("Unavailable", "x"), codes.Unavailable},
		{sdkError("InternalError", "x"), codes.Unavailable},
		{sdkError("AuthFailure", "x"), codes.Unauthenticated},
		{sdkError("InvalidClientTokenId", "x"), codes.Unauthenticated},
		{sdkError("SignatureDoesNotMatch", "x"), codes.Unauthenticated},
		{sdkError("UnauthorizedOperation", "x"), codes.PermissionDenied},
		{sdkError("InvalidParameterValue", "x"), codes.InvalidArgument},
		{sdkError("InvalidAMIID.NotFound", "x"), codes.InvalidArgument},
		{sdkError("InvalidAMIID.Malformed", "x"), codes.InvalidArgument},
		{sdkError("InvalidSubnetID.NotFound", "x"), codes.InvalidArgument},
		{sdkError("InvalidGroup.NotFound", "x"), codes.InvalidArgument},
		{sdkError("InvalidKeyPair.NotFound", "x"), codes.InvalidArgument},
		{sdkError("IdempotentParameterMismatch", "x"), codes.Internal},
		{sdkError("SomethingNew", "x"), codes.Unknown},
		// A code is matched whole: a longer one of the same start is not the same error.
		{sdkError("AuthFailureX", "x"), codes.Unknown},
		{fmt.Errorf("send: %w", context.DeadlineExceeded), codes.DeadlineExceeded},
		{fmt.Errorf("send: %w", context.Canceled), codes.Canceled},
		{&smithy.OperationError{ServiceID: "EC2", OperationName: "DescribeInstances",
			Err: &smithyhttp.RequestSendError{Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}}, codes.Unavailable},
		{&smithy.SerializationError{Err: errors.New("bad input")}, codes.Internal},
	}
	for _, tc := range tests {
		t.Run(tc.err.Error(), func(t *testing.T) {
			t.Parallel()
			if got := classify(tc.err); got != tc.want {
				t.Fatalf("classify = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestFailMessage(t *testing.T) {
	t.Parallel()
	c := &call{creds: credentials{accessKeyID: "AKIAEXAMPLEKEY", secretAccessKey: "s3cr3t-value", userData: []byte("#cloud-config\nsecret: 1\n")}}
	tests := []struct {
		name       string
		err        error
		code       codes.Code
		want       []string
		mustNotSay []string
	}{
		{"names code and field", sdkError("InvalidAMIID.NotFound", "The image id '[ami-1]' does not exist"), codes.InvalidArgument,
			[]string{"EC2 RunInstances failed with InvalidAMIID.NotFound", "ami-1", "check providerSpec.imageId"}, nil},
		{"redacts the key ID", sdkError("AuthFailure", "unknown access key AKIAEXAMPLEKEY"), codes.Unauthenticated,
			[]string{"AuthFailure", "<secret.accessKeyID>"}, []string{"AKIAEXAMPLEKEY"}},
		{"redacts the secret key and user data", sdkError("SignatureDoesNotMatch", "string to sign with s3cr3t-value, data I2Nsb3VkLWNvbmZpZwpzZWNyZXQ6IDEK"), codes.Unauthenticated,
			[]string{"<secret.secretAccessKey>", "<secret.userData>"}, []string{"s3cr3t-value", "I2Nsb3Vk"}},
		{"network", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"), codes.Unavailable,
			[]string{"EC2 RunInstances failed: dial tcp"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := c.fail("RunInstances", tc.err)
			code, _ := machinecode.Of(err)
			msg := machinecode.Message(err)
			if code != tc.code {
				t.Errorf("code %s, want %s (%s)", code, tc.code, msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			for _, w := range tc.mustNotSay {
				if strings.Contains(msg, w) {
					t.Errorf("message %q reveals %q", msg, w)
				}
			}
		})
	}
}

func TestRedactShortValues(t *testing.T) {
	t.Parallel()
	cr := credentials{accessKeyID: "a", userData: []byte("x")}
	if got := cr.redact("a message"); got != "a message" {
		t.Fatalf("redact mangled a message for one-letter secrets: %q", got)
	}
}
