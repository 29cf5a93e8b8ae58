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

// register creates the VM's node (or takes the one there), makes it Ready
// and creates or takes its Lease, as a starting kubelet does.
func (r *Registrar) register(ctx context.Context, m *member, renewEvery time.Duration) error {
	nodes := r.client.CoreV1().Nodes()
	node := newNode(m.id)
	node.Status.Conditions = []corev1.NodeCondition{readyCondition(true)} // a kubelet registers with its status
	_, err := nodes.Create(ctx, node, metav1.CreateOptions{})
	switch {
	case err == nil:
		m.ready, m.lastStatus = true, time.Now()
	case apierrors.IsAlreadyExists(err):
		if node, err = nodes.Get(ctx, m.id.Name, metav1.GetOptions{}); err != nil {
			return err
		}
		if err := r.writeReady(ctx, m, node, true); err != nil {
			return err
		}
	default:
		return err
	}
	if err := r.renewLease(ctx, m, renewEvery); err != nil {
		return err
	}
	m.registered = true
	return nil
}

// checkStatus reads the node back: registered again if someone deleted
// it, made Ready again if someone changed that.
func (r *Registrar) checkStatus(ctx context.Context, m *member, renewEvery time.Duration) error {
	node, err := r.client.CoreV1().Nodes().Get(ctx, m.id.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		m.registered, m.ready = false, false
		return r.register(ctx, m, renewEvery)
	}
	if err != nil {
		return err
	}
	m.lastStatus = time.Now()
	if readyStatus(node) != corev1.ConditionTrue {
		return r.writeReady(ctx, m, node, true)
	}
	return nil
}

// setReady writes the node's Ready condition: True, or Unknown as the node
// lifecycle controller marks a node whose kubelet stopped posting.
func (r *Registrar) setReady(ctx context.Context, m *member, ready bool) error {
	node, err := r.client.CoreV1().Nodes().Get(ctx, m.id.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		m.ready = false
		return nil // deleted meanwhile: checkStatus registers it again while the VM runs
	}
	if err != nil {
		return err
	}
	return r.writeReady(ctx, m, node, ready)
}

func (r *Registrar) writeReady(ctx context.Context, m *member, node *corev1.Node, ready bool) error {
	cond := readyCondition(ready)
	if readyStatus(node) == cond.Status {
		for _, c := range node.Status.Conditions {
			if c.Type == corev1.NodeReady {
				cond.LastTransitionTime = c.LastTransitionTime
			}
		}
	}
	node.Status.Conditions = []corev1.NodeCondition{cond}
	if _, err := r.client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{}); err != nil {
		if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
			return errAgain // deleted or changed meanwhile (a finalizer, a deletion): the next round decides
		}
		return err
	}
	m.ready, m.lastStatus = ready, time.Now()
	return nil
}

// readyCondition is the Ready condition a kubelet posts, or the one the
// node lifecycle controller sets once it stops posting.
func readyCondition(ready bool) corev1.NodeCondition {
	now := metav1.Now()
	cond := corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
		Message: "kubelet is posting ready status", LastHeartbeatTime: now, LastTransitionTime: now}
	if !ready {
		cond.Status, cond.Reason, cond.Message = corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status."
	}
	return cond
}

func readyStatus(node *corev1.Node) corev1.ConditionStatus {
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status
		}
	}
	return ""
}

// renewLease renews the node's Lease from the copy last written, with no
// read; a Lease changed or deleted meanwhile is read or created again.
// Its duration is four renewals, as a kubelet's 40 s is four of its 10 s.
func (r *Registrar) renewLease(ctx context.Context, m *member, renewEvery time.Duration) error {
	if err := r.ensureLeaseNamespace(ctx); err != nil {
		return err
	}
	leases := r.client.CoordinationV1().Leases(leaseNamespace)
	now := metav1.NewMicroTime(time.Now())
	duration := ptr.To(int32(4 * renewEvery / time.Second))
	if m.lease != nil {
		l := m.lease.DeepCopy()
		l.Spec.RenewTime, l.Spec.LeaseDurationSeconds = &now, duration
		updated, err := leases.Update(ctx, l, metav1.UpdateOptions{})
		if err == nil {
			m.lease, m.lastLease = updated, now.Time
			return nil
		}
		if !apierrors.IsConflict(err) && !apierrors.IsNotFound(err) {
			return err
		}
		m.lease = nil // changed or deleted meanwhile: read it again below
	}
	lease, err := leases.Create(ctx, &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: m.id.Name, Namespace: leaseNamespace},
		Spec: coordinationv1.LeaseSpec{HolderIdentity: ptr.To(m.id.Name), LeaseDurationSeconds: duration,
			RenewTime: &now},
	}, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		if lease, err = leases.Get(ctx, m.id.Name, metav1.GetOptions{}); err == nil {
			lease.Spec.RenewTime, lease.Spec.LeaseDurationSeconds = &now, duration
			lease, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
		}
	}
	if err != nil {
		return err
	}
	m.lease, m.lastLease = lease, now.Time
	return nil
}

// ensureLeaseNamespace creates kube-node-lease, once it has worked.
func (r *Registrar) ensureLeaseNamespace(ctx context.Context) error {
	r.mu.Lock()
	done := r.leaseNamespaceMade
	r.mu.Unlock()
	if done {
		return nil
	}
	_, err := r.client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: leaseNamespace}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	r.mu.Lock()
	r.leaseNamespaceMade = true
	r.mu.Unlock()
	return nil
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
