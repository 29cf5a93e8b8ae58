package conformance

import (
	"context"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/providerid"
	"github.com/machine-conformance/machine-conformance/providers"
)

// kubeletOptions configure the kubelet stand-in.
type kubeletOptions struct {
	every     time.Duration
	namespace string                        // the run's Machines
	held      func(machineName string) bool // VMs that must not join
	oracle    providers.Oracle              // nil: nodes do not follow VMs
	// sharedCluster is set on a real cluster: its nodes are tainted so no
	// pod is scheduled onto them, and their Leases renewed so the node
	// lifecycle controller keeps them Ready.
	sharedCluster bool
}

// The stand-in's mark on a real cluster: a NoSchedule taint (no kubelet
// runs pods there) and a label to find its nodes by.
const (
	standInKey       = "machine-conformance.io/kubelet-stand-in"
	leaseRenewEvery  = 10 * time.Second
	leaseDurationSec = 40
)

// startKubelet plays the kubelet of every VM: for each Machine that has a
// provider ID and a node name, it registers a Ready Node with that name and
// spec.providerID, as the VM's kubelet would when it boots, unless
// held(machine name). With an oracle (a simulator in another process,
// steered through its control API), nodes also follow their VMs: a dead
// VM's node turns NotReady, a vanished VM's node goes. It returns a
// function that stops it.
func startKubelet(c client.Client, o kubeletOptions) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait.UntilWithContext(ctx, func(ctx context.Context) { joinNodes(ctx, c, o, vmTruth(o.oracle)) }, o.every)
	}()
	heartbeats := make(chan struct{})
	go func() {
		defer close(heartbeats)
		if o.sharedCluster {
			wait.UntilWithContext(ctx, func(ctx context.Context) { renewLeases(ctx, c) }, leaseRenewEvery)
		}
	}()
	return func() { cancel(); <-done; <-heartbeats }
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

func joinNodes(ctx context.Context, c client.Client, o kubeletOptions, truth map[string]providers.VMRecord) {
	machines := &v1alpha1.MachineList{}
	if err := c.List(ctx, machines, client.InNamespace(o.namespace)); err != nil {
		return
	}
	for _, m := range machines.Items {
		name := m.Labels[controller.NodeLabel]
		if m.Spec.ProviderID == "" || name == "" || o.held(m.Name) || !m.DeletionTimestamp.IsZero() {
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
			if o.sharedCluster {
				node.Labels = map[string]string{standInKey: "true"}
				node.Spec.Taints = []corev1.Taint{{Key: standInKey, Value: "true", Effect: corev1.TaintEffectNoSchedule}}
			}
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

// renewLeases keeps the stand-in's Ready nodes Ready in the eyes of the
// node lifecycle controller, as a kubelet's heartbeat does: it renews each
// one's Lease in kube-node-lease, owned by the node so it goes with it.
func renewLeases(ctx context.Context, c client.Client) {
	nodes := &corev1.NodeList{}
	if err := c.List(ctx, nodes, client.HasLabels{standInKey}); err != nil {
		return
	}
	now := metav1.NewMicroTime(time.Now())
	for _, node := range nodes.Items {
		if !isReady(&node) || !node.DeletionTimestamp.IsZero() {
			continue
		}
		lease := &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Namespace: corev1.NamespaceNodeLease, Name: node.Name}}
		err := c.Get(ctx, client.ObjectKeyFromObject(lease), lease)
		if apierrors.IsNotFound(err) {
			lease.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "Node", Name: node.Name, UID: node.UID}}
			lease.Spec = coordinationv1.LeaseSpec{HolderIdentity: ptr.To(node.Name),
				LeaseDurationSeconds: ptr.To[int32](leaseDurationSec), RenewTime: &now}
			_ = c.Create(ctx, lease)
			continue
		}
		if err == nil {
			lease.Spec.RenewTime = &now
			_ = c.Update(ctx, lease) // a failed renewal is retried next round
		}
	}
}
