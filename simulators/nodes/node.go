package nodes

import (
	"context"
	"errors"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

const leaseNamespace = "kube-node-lease"

// errAgain: the node changed under us; try again next round, it is no error.
var errAgain = errors.New("node changed meanwhile; again next round")

// beat registers the node if needed, sets its Ready condition and renews
// its Lease, as a kubelet's status loop does. A node someone deleted while
// its VM runs is registered again, as a kubelet would.
func (r *Registrar) beat(ctx context.Context, id Identity, ready bool) error {
	nodes := r.client.CoreV1().Nodes()
	node, err := nodes.Get(ctx, id.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		if !ready {
			return nil // a dead VM's kubelet registers nothing
		}
		node, err = nodes.Create(ctx, newNode(id), metav1.CreateOptions{})
	}
	if err != nil {
		return err
	}
	now := metav1.Now()
	cond := corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
		Message: "kubelet is posting ready status", LastHeartbeatTime: now, LastTransitionTime: now}
	if !ready {
		cond.Status, cond.Reason, cond.Message = corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status."
	}
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady && c.Status == cond.Status {
			cond.LastTransitionTime = c.LastTransitionTime
		}
	}
	node.Status.Conditions = []corev1.NodeCondition{cond}
	if _, err := nodes.UpdateStatus(ctx, node, metav1.UpdateOptions{}); err != nil {
		if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
			return errAgain // deleted or changed meanwhile (a finalizer, a deletion): the next round decides
		}
		return err
	}
	if !ready {
		return nil
	}
	return r.renewLease(ctx, id.Name)
}

func (r *Registrar) renewLease(ctx context.Context, name string) error {
	if err := r.ensureLeaseNamespace(ctx); err != nil {
		return err
	}
	leases := r.client.CoordinationV1().Leases(leaseNamespace)
	now := metav1.NewMicroTime(time.Now())
	lease, err := leases.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = leases.Create(ctx, &coordinationv1.Lease{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: leaseNamespace},
			Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr.To(name), LeaseDurationSeconds: ptr.To[int32](40),
				RenewTime: &now},
		}, metav1.CreateOptions{})
		return err
	}
	if err != nil {
		return err
	}
	lease.Spec.RenewTime = &now
	_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
	return err
}

func (r *Registrar) ensureLeaseNamespace(ctx context.Context) error {
	_, err := r.client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: leaseNamespace}}, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// leave deletes the node and its Lease of a VM that vanished.
func (r *Registrar) leave(ctx context.Context, id Identity) error {
	err := r.client.CoreV1().Nodes().Delete(ctx, id.Name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	err = r.client.CoordinationV1().Leases(leaseNamespace).Delete(ctx, id.Name, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	return nil
}

func newNode(id Identity) *corev1.Node {
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: id.Name, Labels: map[string]string{
			"kubernetes.io/hostname":           id.Name,
			"kubernetes.io/os":                 "linux",
			"kubernetes.io/arch":               "amd64",
			"topology.kubernetes.io/zone":      id.Zone,
			"node.kubernetes.io/instance-type": id.InstanceType,
		}},
		Spec: corev1.NodeSpec{ProviderID: id.ProviderID},
		Status: corev1.NodeStatus{
			Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: id.InternalIP},
				{Type: corev1.NodeInternalDNS, Address: id.Name}, {Type: corev1.NodeHostName, Address: id.Name}},
			Capacity: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("2"),
				corev1.ResourceMemory: resource.MustParse("8Gi"), corev1.ResourcePods: resource.MustParse("110")},
		},
	}
}
