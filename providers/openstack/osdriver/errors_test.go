package osdriver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/gophercloud/gophercloud/v2"
)

func TestMachineError(t *testing.T) {
	t.Parallel()
	http := func(code int, body string) error {
		return gophercloud.ErrUnexpectedResponseCode{Method: "POST", URL: "http://nova/servers", Actual: code, Body: []byte(body)}
	}
	for _, tc := range []struct {
		name string
		err  error
		want codes.Code
	}{
		{"bad request", http(400, `{"badRequest":{"message":"Flavor x could not be found."}}`), codes.InvalidArgument},
		{"unauthorized", http(401, `{"error":{"code":401}}`), codes.Unauthenticated},
		{"after reauthentication", gophercloud.ErrErrorAfterReauthentication{ErrOriginal: http(401, "")}, codes.Unauthenticated},
		{"nova quota", http(403, `{"forbidden":{"message":"Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}`), codes.ResourceExhausted},
		{"policy", http(403, `{"forbidden":{"message":"Policy doesn't allow os_compute_api:servers:create"}}`), codes.PermissionDenied},
		{"not found", http(404, ""), codes.NotFound},
		{"neutron quota", http(409, `{"NeutronError":{"type":"OverQuota","message":"Quota exceeded for resources: ['port']."}}`), codes.ResourceExhausted},
		{"conflict", http(409, `{"NeutronError":{"type":"PortInUse"}}`), codes.Aborted},
		{"cinder over limit", http(413, `{"overLimit":{}}`), codes.ResourceExhausted},
		{"rate limit", http(429, `{"overLimit":{}}`), codes.Unavailable},
		{"server error", http(500, ""), codes.Unavailable},
		{"unavailable", http(503, ""), codes.Unavailable},
		{"other status", http(418, ""), codes.Unknown},
		{"unreachable", &url.Error{Op: "Post", URL: "http://nova", Err: errors.New("connection refused")}, codes.Unavailable},
		{"deadline", fmt.Errorf("waiting: %w", context.DeadlineExceeded), codes.DeadlineExceeded},
		{"canceled", context.Canceled, codes.Canceled},
		{"anything else", errors.New("json: bad body"), codes.Internal},
		{"already a status", status.Error(codes.NotFound, "x"), codes.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := machineError("creating a server", tc.err)
			var st *status.Status
			if !errors.As(err, &st) {
				t.Fatalf("%v is not a status", err)
			}
			if st.Code() != tc.want {
				t.Errorf("code %v, want %v (%v)", st.Code(), tc.want, err)
			}
			if st.Message() == "" || (tc.name != "already a status" && !strings.HasPrefix(st.Message(), "creating a server: ")) {
				t.Errorf("message %q does not say what was asked", st.Message())
			}
		})
	}
	if machineError("x", nil) != nil {
		t.Error("machineError(nil) is not nil")
	}
}
