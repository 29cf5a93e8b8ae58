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
)

// startKubelet plays the kubelet of every VM: for each Machine that has a
// provider ID and a node name, it registers a Ready Node with that name and
// spec.providerID, as the VM's kubelet would when it boots, unless
// held(machine name). It returns a function that stops it.
func startKubelet(c client.Client, every time.Duration, held func(machineName string) bool) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait.UntilWithContext(ctx, func(ctx context.Context) { joinNodes(ctx, c, held) }, every)
	}()
	return func() { cancel(); <-done }
}

func joinNodes(ctx context.Context, c client.Client, held func(string) bool) {
	machines := &v1alpha1.MachineList{}
	if err := c.List(ctx, machines); err != nil {
		return
	}
	for _, m := range machines.Items {
		name := m.Labels[controller.NodeLabel]
		if m.Spec.ProviderID == "" || name == "" || held(m.Name) || !m.DeletionTimestamp.IsZero() {
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

func isReady(node *corev1.Node) bool {
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
