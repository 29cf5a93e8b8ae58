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

// reconcileNode follows a machine whose VM exists: Pending until its Node is
// Ready, then Running; Unknown while that node is NotReady, Unknown or gone;
// Failed when the creation or health timeout (measured on Options.Clock) runs
// out. The node is the one the machine's node label names (the NodeName the
// driver returned), as MCM finds it; a node whose spec.providerID differs
// from the machine's is warned about, never refused.
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
	ready, why := nodeHealth(node, m.Labels[NodeLabel])
	now := r.opts.Clock.Now()
	if node != nil {
		if err := r.holdNode(ctx, node); err != nil {
			return ctrl.Result{}, err
		}
	}

	switch m.Status.CurrentStatus.Phase {
	case "", v1alpha1.MachinePending:
		if ready {
			return ctrl.Result{}, r.becomeRunning(ctx, m, node, v1alpha1.MachineOperationCreate)
		}
		if res, done, err := r.checkCreationTimeout(ctx, m); done {
			return res, err
		}
		// Say what the machine waits for, writing only when that changes.
		desc := fmt.Sprintf("VM %s created; waiting: %s", m.Spec.ProviderID, why)
		if m.Status.CurrentStatus.Phase == "" || m.Status.LastOperation.Description != desc {
			if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
				setPhase(m, v1alpha1.MachinePending, now)
				setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationCreate, state: v1alpha1.MachineStateProcessing, desc: desc}, now)
			}); err != nil {
				return ctrl.Result{}, err
			}
		}
		return r.pollBefore(m, r.opts.CreationTimeout), nil
	case v1alpha1.MachineRunning:
		if ready {
			// Node events wake us; the periodic look also notices a phase
			// the safety sweep changed.
			return ctrl.Result{RequeueAfter: 10 * r.opts.PollInterval}, nil
		}
		r.recorder.Eventf(m, node, corev1.EventTypeWarning, "Unhealthy", "HealthCheck", "%s; machine is Unknown", why)
		if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
			setPhase(m, v1alpha1.MachineUnknown, now)
			setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationHealthCheck, state: v1alpha1.MachineStateProcessing,
				desc: why + fmt.Sprintf("; machine fails if not healthy within %s", r.opts.HealthTimeout)}, now)
		}); err != nil {
			return ctrl.Result{}, err
		}
		return r.pollBefore(m, r.opts.HealthTimeout), nil
	case v1alpha1.MachineUnknown:
		if ready {
			return ctrl.Result{}, r.becomeRunning(ctx, m, node, v1alpha1.MachineOperationHealthCheck)
		}
		if age := phaseAge(m, now); age > r.opts.HealthTimeout {
			msg := fmt.Sprintf("health timeout: %s for %s (limit %s)", why, age.Round(time.Second), r.opts.HealthTimeout)
			return ctrl.Result{}, r.markFailed(ctx, m, v1alpha1.MachineOperationHealthCheck, msg, "")
		}
		return r.pollBefore(m, r.opts.HealthTimeout), nil
	}
	return ctrl.Result{}, nil
}

func (r *machineReconciler) becomeRunning(ctx context.Context, m *v1alpha1.Machine, node *corev1.Node, typ v1alpha1.MachineOperationType) error {
	if node.Spec.ProviderID != "" && node.Spec.ProviderID != m.Spec.ProviderID {
		r.recorder.Eventf(m, node, corev1.EventTypeWarning, ReasonProviderIDMismatch, string(typ),
			"the driver returned provider ID %s but node %s carries provider ID %s", m.Spec.ProviderID, node.Name, node.Spec.ProviderID)
	}
	now := r.opts.Clock.Now()
	r.recorder.Eventf(m, node, corev1.EventTypeNormal, "Running", string(typ), "node %s is Ready", node.Name)
	return r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		setPhase(m, v1alpha1.MachineRunning, now)
		setLastOperation(m, lastOp{typ: typ, state: v1alpha1.MachineStateSuccessful,
			desc: fmt.Sprintf("node %s is Ready", node.Name)}, now)
	})
}

// pollBefore requeues in time to notice the phase's timeout on the injected
// clock, and no later than PollInterval in real time.
func (r *machineReconciler) pollBefore(m *v1alpha1.Machine, timeout time.Duration) ctrl.Result {
	left := timeout - phaseAge(m, r.opts.Clock.Now())
	if left <= 0 || left > r.opts.PollInterval {
		left = r.opts.PollInterval
	}
	return ctrl.Result{RequeueAfter: left}
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

// nodeHealth says whether node is Ready and, if not, why, in words.
func nodeHealth(node *corev1.Node, nodeName string) (bool, string) {
	switch {
	case node == nil && nodeName == "":
		return false, "the driver returned no node name, so no node can be found for this machine"
	case node == nil:
		return false, fmt.Sprintf("no node named %s (the NodeName the driver returned)", nodeName)
	}
	for _, c := range node.Status.Conditions {
		if c.Type != corev1.NodeReady {
			continue
		}
		if c.Status == corev1.ConditionTrue {
			return true, ""
		}
		return false, fmt.Sprintf("node %s Ready condition is %s", node.Name, c.Status)
	}
	return false, fmt.Sprintf("node %s has no Ready condition", node.Name)
}

// retryInitialization calls InitializeMachine again for a VM whose earlier
// initialization asked to be retried.
func (r *machineReconciler) retryInitialization(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (ctrl.Result, bool, error) {
	if res, done, err := r.checkCreationTimeout(ctx, m); done {
		return res, true, err
	}
	vm, ce := r.initialize(ctx, m, in, m.Spec.ProviderID)
	if ce != nil {
		res, err := r.onCallError(ctx, m, v1alpha1.MachineOperationCreate, ce)
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
