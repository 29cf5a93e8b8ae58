package conformance

import (
	"context"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/providerid"
	"github.com/machine-conformance/machine-conformance/providers"
)

// startKubelet plays the kubelet of every VM: for each Machine that has a
// provider ID and a node name, it registers a Ready Node with that name and
// spec.providerID, as the VM's kubelet would when it boots, unless
// held(machine name). With an oracle (a simulator in another process,
// steered through its control API), nodes also follow their VMs: a dead
// VM's node turns NotReady, a vanished VM's node goes. It returns a
// function that stops it.
func startKubelet(c client.Client, every time.Duration, held func(machineName string) bool, oracle providers.Oracle) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait.UntilWithContext(ctx, func(ctx context.Context) { joinNodes(ctx, c, held, vmTruth(oracle)) }, every)
	}()
	return func() { cancel(); <-done }
}

// vmTruth reads the oracle once, by VM key (whatever form of ProviderID
// the driver uses); nil without an oracle.
func vmTruth(oracle providers.Oracle) map[string]providers.VMRecord {
	if oracle == nil {
		return nil
	}
	truth := map[string]providers.VMRecord{}
	for _, vm := range oracle.Census() {
		truth[providerid.VMKey(vm.ProviderID)] = vm
	}
	return truth
}

func joinNodes(ctx context.Context, c client.Client, held func(string) bool, truth map[string]providers.VMRecord) {
	machines := &v1alpha1.MachineList{}
	if err := c.List(ctx, machines); err != nil {
		return
	}
	for _, m := range machines.Items {
		name := m.Labels[controller.NodeLabel]
		if m.Spec.ProviderID == "" || name == "" || held(m.Name) || !m.DeletionTimestamp.IsZero() {
			continue
		}
		if vm, known := truth[providerid.VMKey(m.Spec.ProviderID)]; known && !vm.Alive {
			leave(ctx, c, name, vm.Gone)
			continue
		}
		if m.Status.CurrentStatus.Phase != v1alpha1.MachinePending {
			continue // a node that left after Running stays gone
		}
		node := &corev1.Node{}
		err := c.Get(ctx, client.ObjectKey{Name: name}, node)
		if apierrors.IsNotFound(err) {
			node = &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.NodeSpec{ProviderID: m.Spec.ProviderID}}
			err = c.Create(ctx, node)
		}
		if err != nil || isReady(node) {
			continue // the next round tries again
		}
		node.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue,
			Reason: "KubeletReady", LastHeartbeatTime: metav1.Now()}}
		_ = c.Status().Update(ctx, node) // a conflict (the controller's finalizer) is retried next round
	}
}

// leave is what a dead VM's node does: it turns NotReady, or goes away
// with a VM that vanished.
func leave(ctx context.Context, c client.Client, name string, gone bool) {
	node := &corev1.Node{}
	if err := c.Get(ctx, client.ObjectKey{Name: name}, node); err != nil {
		return
	}
	if gone {
		_ = c.Delete(ctx, node)
		return
	}
	if !isReady(node) {
		return
	}
	node.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionFalse,
		Reason: "KubeletStopped", LastHeartbeatTime: metav1.Now()}}
	_ = c.Status().Update(ctx, node)
}

func isReady(node *corev1.Node) bool {
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
