package nodes_test

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
)

func TestNodesFollowVMs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	ctx := context.Background()
	cluster, err := testcluster.Start(ctx, testcluster.Options{SkipCRDs: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	cs := kubernetes.NewForConfigOrDie(cluster.Config)

	clk := clocktesting.NewFakeClock(time.Now())
	cloud := core.New(core.Options{Clock: clk, Progression: core.Progression{PendingFor: time.Minute, ShuttingDownFor: time.Minute}})
	launch := func(cluster string) core.VM {
		vms, err := cloud.Launch(core.LaunchSpec{IDPrefix: "vm-", IDDigits: 6, Zone: "z1", Owner: core.Owner{Cluster: cluster}})
		if err != nil {
			t.Fatal(err)
		}
		return vms[0]
	}
	ours, doomed, foreign := launch("a"), launch("a"), launch("b")
	reg, err := nodes.Start(nodes.Options{Config: cluster.Config, Cloud: cloud, Interval: 20 * time.Millisecond,
		Identify: func(vm core.VM) (nodes.Identity, bool) {
			return nodes.Identity{Name: "node-" + vm.ID, ProviderID: "sim:///z1/" + vm.ID, Zone: vm.Zone}, vm.Owner.Cluster == "a"
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := reg.Stop(); err != nil {
			t.Error(err)
		}
	})

	readiness := func(vm core.VM) string {
		n, err := cs.CoreV1().Nodes().Get(ctx, "node-"+vm.ID, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return "absent"
		}
		if err != nil {
			t.Fatal(err)
		}
		if n.Spec.ProviderID != "sim:///z1/"+vm.ID {
			t.Fatalf("node %s carries provider ID %q", n.Name, n.Spec.ProviderID)
		}
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady {
				return string(c.Status)
			}
		}
		return "no condition"
	}
	waitFor := func(vm core.VM, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for got := readiness(vm); got != want; got = readiness(vm) {
			if time.Now().After(deadline) {
				t.Fatalf("node of %s: %s, want %s", vm.ID, got, want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	time.Sleep(200 * time.Millisecond)
	if got := readiness(ours); got != "absent" {
		t.Fatalf("a pending VM's node registered: %s", got)
	}
	clk.Step(time.Minute)
	waitFor(ours, "True")
	waitFor(doomed, "True")
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) { // the Lease follows registration
		_, err := cs.CoordinationV1().Leases("kube-node-lease").Get(ctx, "node-"+ours.ID, metav1.GetOptions{})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Lease: %v", err)
		}
	}
	if err := cloud.Kill(doomed.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(doomed, "Unknown")
	if err := cloud.Vanish(ours.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(ours, "absent")
	if got := readiness(foreign); got != "absent" {
		t.Fatalf("another cluster's VM joined this cluster: %s", got)
	}
}
