package controller

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// reconcileDelete deletes the VM through DeleteMachine (always, even without
// a provider ID: a create may have committed before failing), then the Node,
// then releases the machine's finalizer. Node drain is out of scope.
func (r *machineReconciler) reconcileDelete(ctx context.Context, m *v1alpha1.Machine) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(m, MachineFinalizer) || r.releasedRecently(m) {
		return ctrl.Result{}, nil
	}
	in, err := r.loadInputs(ctx, m)
	if err != nil {
		if !errors.Is(err, errInputMissing) {
			return ctrl.Result{}, err
		}
		// Without class and secret the driver cannot reach the VM. Keep the
		// finalizer: releasing it now would leak the VM. The phase stays
		// as it is, as under MCM, which starts deleting only with a class.
		msg := "cannot delete the VM: " + err.Error()
		r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "DeleteBlocked", "Delete", "%s", msg)
		return ctrl.Result{RequeueAfter: r.opts.PollInterval}, r.recordDeleteProblem(ctx, m, msg, "")
	}
	now := r.opts.Clock.Now()
	if m.Status.CurrentStatus.Phase != v1alpha1.MachineTerminating {
		if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
			setPhase(m, v1alpha1.MachineTerminating, now)
			setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationDelete, state: v1alpha1.MachineStateProcessing,
				desc: "Deleting the VM"}, now)
		}); err != nil {
			return ctrl.Result{}, err
		}
	}

	if wait := r.deleteBlockedFor(m, in); wait > 0 {
		return ctrl.Result{RequeueAfter: wait}, nil
	}
	callCtx, cancel := r.callContext(ctx)
	defer cancel()
	_, err = r.opts.Driver.DeleteMachine(callCtx, &driver.DeleteMachineRequest{
		Machine: m, MachineClass: in.class, Secret: in.secret})
	// NotFound: the VM is gone already, which is what we wanted (MCM agrees).
	if ce := classify(opDelete, err); ce != nil && ce.Code != codes.NotFound {
		if ctx.Err() != nil {
			return ctrl.Result{}, ctx.Err()
		}
		if transient[ce.Code] {
			msg := fmt.Sprintf("%s; retrying in %s", ce.Error(), r.opts.ShortRetry)
			r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "DeleteMachineRetry", "Delete", "%s", msg)
			return ctrl.Result{RequeueAfter: r.opts.ShortRetry}, r.recordDeleteProblem(ctx, m, msg, ce.Code.String())
		}
		// A human must fix credentials, permissions or the VM; MCM looks
		// again after LongRetry, and a change to the class or secret (the
		// usual fix) requeues the machine at once.
		msg := fmt.Sprintf("%s; retrying in %s", ce.Error(), r.opts.LongRetry)
		r.deleteBlocked.Store(m.UID, in.version)
		r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "DeleteMachineFailed", "Delete", "%s", msg)
		return ctrl.Result{RequeueAfter: r.opts.LongRetry}, r.recordDeleteProblem(ctx, m, msg, ce.Code.String())
	}
	r.deleteBlocked.Delete(m.UID)
	// The VM is gone, and the machine follows in a moment: DeleteMachine's
	// LastKnownState (for retrying a delete) is not written.
	if err := r.deleteNode(ctx, m); err != nil {
		return ctrl.Result{}, err
	}
	r.recorder.Eventf(m, nil, corev1.EventTypeNormal, "Deleted", "Delete", "VM %s and its node are gone", m.Spec.ProviderID)
	controllerutil.RemoveFinalizer(m, MachineFinalizer)
	if err := r.client.Update(ctx, m); err != nil {
		return ctrl.Result{}, err
	}
	r.released.Store(m.UID, r.opts.Clock.Now())
	if r.sweep != nil {
		r.sweep.Trigger() // as MCM sweeps on every machine deletion
	}
	return ctrl.Result{}, nil
}

// deleteBlockedFor is how long a machine whose DeleteMachine failed with a
// code a human must fix still waits before the next try: until LongRetry
// has passed on Clock since the failure, unless its class or secret changed
// since (the usual fix). Node, class and other events requeue a deleting
// machine; without this they would retry at once.
func (r *machineReconciler) deleteBlockedFor(m *v1alpha1.Machine, in driverInputs) time.Duration {
	version, ok := r.deleteBlocked.Load(m.UID)
	if !ok || version != in.version || m.Status.LastOperation.State != v1alpha1.MachineStateFailed {
		return 0
	}
	return m.Status.LastOperation.LastUpdateTime.Add(r.opts.LongRetry).Sub(r.opts.Clock.Now())
}

func (r *machineReconciler) recordDeleteProblem(ctx context.Context, m *v1alpha1.Machine, msg, code string) error {
	if m.Status.LastOperation.Description == msg {
		return nil
	}
	now := r.opts.Clock.Now()
	state := v1alpha1.MachineStateProcessing
	if code != "" {
		state = v1alpha1.MachineStateFailed
	}
	return r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationDelete, state: state, desc: msg, code: code}, now)
	})
}

// deleteNode releases NodeFinalizer on the machine's Node, the one its node
// label names (even one already being deleted), and deletes it, unless
// another machine claims the same node (a lying driver must not make us
// delete a stranger).
func (r *machineReconciler) deleteNode(ctx context.Context, m *v1alpha1.Machine) error {
	name := m.Labels[NodeLabel]
	if name == "" {
		return nil
	}
	claimants := &v1alpha1.MachineList{}
	if err := r.client.List(ctx, claimants, client.MatchingFields{indexMachineByNodeName: name}); err != nil {
		return err
	}
	for _, other := range claimants.Items {
		if other.UID != m.UID && other.DeletionTimestamp.IsZero() {
			r.recorder.Eventf(m, &other, corev1.EventTypeWarning, "NodeClaimed", string(v1alpha1.MachineOperationDelete),
				"node %s is left alone: machine %s/%s also names it", name, other.Namespace, other.Name)
			return nil
		}
	}
	node := &corev1.Node{}
	if err := r.client.Get(ctx, client.ObjectKey{Name: name}, node); err != nil {
		return client.IgnoreNotFound(err)
	}
	if controllerutil.ContainsFinalizer(node, NodeFinalizer) {
		orig := node.DeepCopy()
		controllerutil.RemoveFinalizer(node, NodeFinalizer)
		if err := r.client.Patch(ctx, node, client.MergeFrom(orig)); client.IgnoreNotFound(err) != nil {
			return fmt.Errorf("releasing the finalizer of node %s of machine %s/%s: %w", node.Name, m.Namespace, m.Name, err)
		}
	}
	if err := r.client.Delete(ctx, node); err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("deleting node %s of machine %s/%s: %w", node.Name, m.Namespace, m.Name, err)
	}
	return nil
}

// releaseMemory is how long, on Clock, a machine whose finalizer was
// released is remembered: long enough for the cache to show it gone.
const releaseMemory = time.Minute

// releasedRecently says whether this controller released m's finalizer a
// moment ago, so m is a lagging cache's copy of a machine that is gone:
// deleting its VM and node again would only cost calls that answer NotFound.
func (r *machineReconciler) releasedRecently(m *v1alpha1.Machine) bool {
	at, ok := r.released.Load(m.UID)
	if !ok {
		return false
	}
	if r.opts.Clock.Since(at.(time.Time)) > releaseMemory {
		r.released.Delete(m.UID)
		return false
	}
	return true
}
