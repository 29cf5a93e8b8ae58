package altaws_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"

	"github.com/machine-conformance/machine-conformance/conformance/internal/altaws"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// TestCloudErrors: EC2's own error answers reach the caller as the
// contract's codes, over the wire.
func TestCloudErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   string
		status int
		want   codes.Code
	}{
		{"InsufficientInstanceCapacity", http.StatusInternalServerError, codes.ResourceExhausted},
		{"InstanceLimitExceeded", http.StatusBadRequest, codes.ResourceExhausted},
		{"VcpuLimitExceeded", http.StatusBadRequest, codes.ResourceExhausted},
		{"RequestLimitExceeded", http.StatusServiceUnavailable, codes.Unavailable},
		{"UnauthorizedOperation", http.StatusForbidden, codes.PermissionDenied},
		{"InvalidSubnetID.NotFound", http.StatusBadRequest, codes.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, core.Options{Faults: []core.FaultRule{{Operation: "RunInstances",
				Error: &core.FaultError{Code: tc.code, Status: tc.status}}}}, 1)
			_, err := e.create(context.Background(), "m")
			wantCode(t, "CreateMachine while EC2 answers "+tc.code, err, tc.want)
			if !strings.Contains(err.Error(), tc.code) {
				t.Fatalf("message %q does not name %s", err, tc.code)
			}
		})
	}
}

// TestWrongCredentials: AuthFailure is Unauthenticated, and the message
// does not repeat the key ID the simulator quotes.
func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, 1)
	const key = "AKIAWRONGWRONGWRONG1"
	e.secret = &corev1.Secret{Data: map[string][]byte{altaws.SecretAccessKeyID: []byte(key),
		altaws.SecretSecretAccessKey: []byte("not-the-secret-key"), altaws.SecretUserData: []byte("#cloud-config\n")}}
	_, err := e.create(context.Background(), "m")
	wantCode(t, "CreateMachine with a wrong key", err, codes.Unauthenticated)
	if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), "not-the-secret-key") {
		t.Fatalf("message reveals the credentials: %v", err)
	}
}

// TestUnknownImage: an image EC2 does not know is the user's to fix.
func TestUnknownImage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, 1)
	e.class = classOf([]byte(`{"imageId":"ami-0000000000000000f","instanceType":"m5.large","region":"us-east-1",` +
		`"subnetId":"subnet-0a1b2c3d","securityGroupIds":["sg-0a1b2c3d"],"clusterName":"conformance","nodeRole":"node"}`))
	_, err := e.create(context.Background(), "m")
	wantCode(t, "CreateMachine with an unknown image", err, codes.InvalidArgument)
	if !strings.Contains(err.Error(), "providerSpec.imageId") {
		t.Fatalf("message %q does not name providerSpec.imageId", err)
	}
}

// TestLostAnswer: EC2 launches the VM but the answer is lost; the SDK's
// retry, and later a retried CreateMachine that cannot see the VM yet,
// present the same client token and get the same VM.
func TestLostAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	lost := core.FaultRule{Operation: "RunInstances", Count: 1, CommitThenFail: true,
		Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}}
	e := newEnv(t, core.Options{Faults: []core.FaultRule{lost}}, 3)
	resp, err := e.create(ctx, "sdk-retry")
	wantCode(t, "CreateMachine whose first answer is lost", err, codes.OK)
	if n := len(e.srv.Cloud().Live()); n != 1 {
		t.Fatalf("%d live VMs after an SDK retry, want 1", n)
	}

	e = newEnv(t, core.Options{Faults: []core.FaultRule{lost}, ReadLag: time.Hour}, 1)
	_, err = e.create(ctx, "controller-retry")
	wantCode(t, "CreateMachine whose answer is lost, no SDK retry", err, codes.Unavailable)
	resp, err = e.create(ctx, "controller-retry")
	wantCode(t, "CreateMachine retried while reads lag", err, codes.OK)
	var live []string
	for _, vm := range e.srv.Cloud().Live() {
		live = append(live, vm.ID)
	}
	if len(live) != 1 || !strings.HasSuffix(resp.ProviderID, "/"+live[0]) {
		t.Fatalf("live VMs %v, CreateMachine answered %s: the retry launched another VM", live, resp.ProviderID)
	}
}

// TestNoAnswer: a deadline is DeadlineExceeded, an endpoint nobody serves
// Unavailable.
func TestNoAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, 1)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := e.create(ctx, "m")
	wantCode(t, "CreateMachine past its deadline", err, codes.DeadlineExceeded)

	e.srv.Close()
	e.drv = altaws.New(altaws.Options{Endpoint: e.srv.URL, MaxAttempts: 1})
	_, err = e.create(context.Background(), "m")
	wantCode(t, "CreateMachine against a closed endpoint", err, codes.Unavailable)
}
