package conformance_test

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// TestRBACGroupCatchesARoleMissingARule runs the lifecycle and rbac groups
// with the controller bound to the shipped ClusterRole less "create" on
// events.k8s.io events. The controller records an event at each phase
// change, is refused, and carries on; only the rbac group can notice, so
// its MUST spec has to fail naming the refused request.
func TestRBACGroupCatchesARoleMissingARule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	report, out, err := runChild(t, roleWithout+"events.k8s.io/events/create", "lifecycle || rbac")
	if err == nil {
		t.Fatalf("the suite passed a controller whose ClusterRole lacks create on events; output:\n%s", tail(out))
	}
	if report == nil {
		t.Fatalf("no report; output:\n%s", tail(out))
	}
	const wantSpec, wantRequest = "was never refused", "POST /apis/events.k8s.io/v1/namespaces/"
	caught := false
	for _, s := range report.SpecReports {
		if !s.State.Is(types.SpecStateFailureStates) {
			continue
		}
		if !strings.Contains(s.LeafNodeText, wantSpec) {
			t.Errorf("spec %q failed too, though only the role is broken: %s", s.LeafNodeText, s.Failure.Message)
			continue
		}
		if !strings.Contains(s.Failure.Message, wantRequest) {
			t.Errorf("the rbac spec failed without naming the refused %q: %s", wantRequest, s.Failure.Message)
		}
		caught = true
	}
	if !caught {
		t.Errorf("the rbac spec %q did not fail", wantSpec)
	}
}
