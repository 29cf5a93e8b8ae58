package conformance_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

var (
	kindKubeconfig      = flag.String("kind-kubeconfig", "", "also prove the rbac group on the kind cluster of this kubeconfig (hack/kind-rbac-proof.sh passes it)")
	kindControllerImage = flag.String("kind-controller-image", "", "the controller image loaded in that cluster (hack/kind-images.sh prints it)")
	kindSimulatorImage  = flag.String("kind-simulator-image", "", "the cloud-simulator image loaded in that cluster")
)

// TestRBACGroupCatchesARoleMissingARule runs the lifecycle and rbac groups
// with the controller bound to the shipped ClusterRole less "create" on
// events.k8s.io events. The controller records an event at each phase
// change, is refused, and carries on; only the rbac group can notice, so
// its MUST spec has to fail naming the refused request: on envtest, where
// the suite records each request of the controller, and on a kind cluster,
// where the controller runs in a pod and only its metrics tell.
func TestRBACGroupCatchesARoleMissingARule(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	t.Run("envtest", func(t *testing.T) {
		checkRoleMissingRuleCaught(t, nil, "POST /apis/events.k8s.io/v1/namespaces/")
	})
	t.Run("kind", func(t *testing.T) {
		if *kindKubeconfig == "" {
			t.Skip("needs -kind-kubeconfig and the images; .ci/run's kind tier runs it through hack/kind-rbac-proof.sh")
		}
		checkRoleMissingRuleCaught(t, []string{envKubeconfig + "=" + *kindKubeconfig,
			envControllerImage + "=" + *kindControllerImage, envSimulatorImage + "=" + *kindSimulatorImage}, "POST x")
	})
}

func checkRoleMissingRuleCaught(t *testing.T, env []string, wantRefusal string) {
	report, out, err := runChildEnv(t, roleWithout+"events.k8s.io/events/create", "lifecycle || rbac", env)
	if err == nil {
		t.Fatalf("the suite passed a controller whose ClusterRole lacks create on events; output:\n%s", tail(out))
	}
	if report == nil {
		t.Fatalf("no report; output:\n%s", tail(out))
	}
	const wantSpec = "was never refused"
	caught := false
	for _, s := range report.SpecReports {
		if !s.State.Is(types.SpecStateFailureStates) {
			continue
		}
		if !strings.Contains(s.LeafNodeText, wantSpec) {
			t.Errorf("spec %q failed too, though only the role is broken: %s", s.LeafNodeText, s.Failure.Message)
			continue
		}
		if !strings.Contains(s.Failure.Message, wantRefusal) {
			t.Errorf("the rbac spec failed without naming the refused %q: %s", wantRefusal, s.Failure.Message)
		}
		caught = true
	}
	if !caught {
		t.Errorf("the rbac spec %q did not fail; output:\n%s", wantSpec, tail(out))
	}
}
