package controller

import (
	"context"
	"fmt"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// waitReasonAfter is how long, on Clock, a Pending machine waits for its
// node before the status says what it waits for: every node takes a few
// moments to register and turn Ready, and writing each of those steps
// would cost the API server two writes per machine for nothing.
const waitReasonAfter = 5 * time.Second

// reconcileNode follows a machine whose VM exists, as MCM does: Pending
// until its Node is healthy (Ready, none of the bad node conditions, no
// critical-components-not-ready taint), then Running; Unknown while it is
// not; Failed when the creation or health timeout (on Options.Clock, or the
// machine's own MachineConfiguration) runs out. The node is the one the
// machine's node label names (the NodeName the driver returned); a node
// whose spec.providerID differs from the machine's is warned about, never
// refused. A Running or Unknown machine whose node is deleted is deleted.
func (r *machineReconciler) reconcileNode(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (ctrl.Result, error) {
	if m.Annotations[InitializationPendingAnnotation] != "" {
		if res, done, err := r.retryInitialization(ctx, m, in); done {
			return res, err
		}
	}
	node, err := r.nodeFor(ctx, m)
	if err != nil {
		return ctrl.Result{}, err
	}
	healthy, why := r.opts.nodeHealth(m, node)
	now := r.opts.Clock.Now()
	if node != nil {
		if err := r.holdNode(ctx, node); err != nil {
			return ctrl.Result{}, err
		}
	}

	switch m.Status.CurrentStatus.Phase {
	case "", v1alpha1.MachinePending, v1alpha1.MachineCrashLoopBackOff:
		if healthy && criticalComponentsPending(node) {
			healthy, why = false, "node "+node.Name+" carries the taint "+CriticalComponentsNotReadyTaint
		}
		if healthy {
			return ctrl.Result{}, r.becomeRunning(ctx, m, node, v1alpha1.MachineOperationCreate)
		}
		if res, done, err := r.checkCreationTimeout(ctx, m); done {
			return res, err
		}
		// Say what the machine waits for, writing only when that changes,
		// and not in the first moments every node takes to join.
		desc := fmt.Sprintf("VM %s created; waiting: %s", m.Spec.ProviderID, why)
		if m.Status.CurrentStatus.Phase != v1alpha1.MachinePending ||
			(m.Status.LastOperation.Description != desc && phaseAge(m, now) >= waitReasonAfter) {
			if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
				setPhase(m, v1alpha1.MachinePending, now)
				setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationCreate, state: v1alpha1.MachineStateProcessing, desc: desc}, now)
			}); err != nil {
				return ctrl.Result{}, err
			}
		}
		return r.pollBefore(m, r.opts.creationTimeout(m)), nil
	case v1alpha1.MachineRunning, v1alpha1.MachineUnknown:
		if node == nil {
			return ctrl.Result{}, r.deleteForLostNode(ctx, m)
		}
		return r.checkHealth(ctx, m, node, healthy, why)
	}
	return ctrl.Result{}, nil
}

// checkHealth moves a Running machine whose node turned unhealthy to
// Unknown, back to Running when it recovers, and to Failed when it stays
// unhealthy past the health timeout (unless the machine disables it).
func (r *machineReconciler) checkHealth(ctx context.Context, m *v1alpha1.Machine, node *corev1.Node, healthy bool, why string) (ctrl.Result, error) {
	now := r.opts.Clock.Now()
	limit := r.opts.healthTimeout(m)
	switch {
	case healthy && m.Status.CurrentStatus.Phase == v1alpha1.MachineRunning:
		// Node events wake us; the periodic look is a safety net.
		return ctrl.Result{RequeueAfter: 10 * r.opts.PollInterval}, nil
	case healthy:
		return ctrl.Result{}, r.becomeRunning(ctx, m, node, v1alpha1.MachineOperationHealthCheck)
	case m.Status.CurrentStatus.Phase == v1alpha1.MachineRunning:
		r.recorder.Eventf(m, node, corev1.EventTypeWarning, "Unhealthy", "HealthCheck", "%s; machine is Unknown", why)
		if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
			setPhase(m, v1alpha1.MachineUnknown, now)
			setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationHealthCheck, state: v1alpha1.MachineStateProcessing,
				desc: why + fmt.Sprintf("; machine fails if not healthy within %s", limit)}, now)
		}); err != nil {
			return ctrl.Result{}, err
		}
	case healthTimeoutDisabled(m):
	case phaseAge(m, now) > limit:
		msg := fmt.Sprintf("health timeout: %s for %s (limit %s)", why, phaseAge(m, now).Round(time.Second), limit)
		return ctrl.Result{}, r.markFailed(ctx, m, v1alpha1.MachineOperationHealthCheck, msg, "")
	}
	return r.pollBefore(m, limit), nil
}

// deleteForLostNode deletes a Running or Unknown machine whose node was
// deleted, as MCM does: the machine cannot come back without it, and its
// MachineSet replaces it.
func (r *machineReconciler) deleteForLostNode(ctx context.Context, m *v1alpha1.Machine) error {
	r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "NodeDeleted", "HealthCheck",
		"node %s of this machine was deleted; deleting the machine", m.Labels[NodeLabel])
	return client.IgnoreNotFound(r.client.Delete(ctx, m))
}

func (r *machineReconciler) becomeRunning(ctx context.Context, m *v1alpha1.Machine, node *corev1.Node, typ v1alpha1.MachineOperationType) error {
	if node.Spec.ProviderID != "" && node.Spec.ProviderID != m.Spec.ProviderID {
		r.recorder.Eventf(m, node, corev1.EventTypeWarning, ReasonProviderIDMismatch, string(typ),
			"the driver returned provider ID %s but node %s carries provider ID %s", m.Spec.ProviderID, node.Name, node.Spec.ProviderID)
	}
	now := r.opts.Clock.Now()
	if typ != v1alpha1.MachineOperationCreate { // a recovery; a new machine's status says it all
		r.recorder.Eventf(m, node, corev1.EventTypeNormal, "Running", string(typ), "node %s is Ready", node.Name)
	}
	return r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		setPhase(m, v1alpha1.MachineRunning, now)
		setLastOperation(m, lastOp{typ: typ, state: v1alpha1.MachineStateSuccessful,
			desc: fmt.Sprintf("node %s is Ready", node.Name)}, now)
	})
}

// pollBefore requeues in time to notice the phase's timeout on the injected
// clock (a wake-up), and no later than PollInterval in real time.
func (r *machineReconciler) pollBefore(m *v1alpha1.Machine, timeout time.Duration) ctrl.Result {
	return r.waitOnClock(m, timeout-phaseAge(m, r.opts.Clock.Now()))
}

// waitOnClock requeues the machine once d has passed on Options.Clock. With
// wake-ups (the controller's, not unit tests') that is a timer on the clock,
// and polling every PollInterval in real time is only a safety net;
// without, it polls at the shorter of the two.
func (r *machineReconciler) waitOnClock(m *v1alpha1.Machine, d time.Duration) ctrl.Result {
	if r.wake != nil {
		r.wake.after(client.ObjectKeyFromObject(m), d)
		return ctrl.Result{RequeueAfter: r.opts.PollInterval}
	}
	if d <= 0 || d > r.opts.PollInterval {
		d = r.opts.PollInterval
	}
	return ctrl.Result{RequeueAfter: d}
}

// holdNode puts NodeFinalizer on the machine's node (again, if someone
// stripped it).
func (r *machineReconciler) holdNode(ctx context.Context, node *corev1.Node) error {
	if controllerutil.ContainsFinalizer(node, NodeFinalizer) || !node.DeletionTimestamp.IsZero() {
		return nil
	}
	orig := node.DeepCopy()
	controllerutil.AddFinalizer(node, NodeFinalizer)
	if err := r.client.Patch(ctx, node, client.MergeFromWithOptions(orig, client.MergeFromWithOptimisticLock{})); err != nil {
		return fmt.Errorf("adding finalizer to node %s: %w", node.Name, err)
	}
	return nil
}

// nodeFor returns the node the machine's node label names, or nil when
// there is none (yet) or it is being deleted.
func (r *machineReconciler) nodeFor(ctx context.Context, m *v1alpha1.Machine) (*corev1.Node, error) {
	name := m.Labels[NodeLabel]
	if name == "" {
		return nil, nil
	}
	node := &corev1.Node{}
	if err := r.client.Get(ctx, client.ObjectKey{Name: name}, node); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	if !node.DeletionTimestamp.IsZero() {
		return nil, nil
	}
	return node, nil
}

// retryInitialization calls InitializeMachine again for a VM whose earlier
// initialization asked to be retried.
func (r *machineReconciler) retryInitialization(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (ctrl.Result, bool, error) {
	if wait := r.retryWait(m); wait > 0 {
		return r.waitOnClock(m, wait), true, nil
	}
	vm, ce := r.initialize(ctx, m, in, m.Spec.ProviderID)
	if ce != nil {
		res, err := r.createFailed(ctx, m, ce)
		return res, true, err
	}
	if err := r.patchMeta(ctx, m, func(m *v1alpha1.Machine) {
		delete(m.Annotations, InitializationPendingAnnotation)
		if vm.providerID != "" {
			m.Spec.ProviderID = vm.providerID
		}
		if vm.nodeName != "" {
			setLabel(m, NodeLabel, vm.nodeName)
		}
	}); err != nil {
		return ctrl.Result{}, true, err
	}
	r.recorder.Eventf(m, nil, corev1.EventTypeNormal, "Initialized", "Create", "InitializeMachine succeeded")
	return ctrl.Result{}, false, nil
}
