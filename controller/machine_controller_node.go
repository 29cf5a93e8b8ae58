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

// reconcileNode follows a machine whose VM exists: Pending until a Node with
// the same spec.providerID is Ready, then Running; Unknown while that node is
// NotReady, Unknown or gone; Failed when the creation or health timeout
// (measured on Options.Clock) runs out.
func (r *machineReconciler) reconcileNode(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (ctrl.Result, error) {
	if m.Annotations[InitializationPendingAnnotation] != "" {
		if res, done, err := r.retryInitialization(ctx, m, in); done {
			return res, err
		}
	}
	node, err := r.nodeFor(ctx, m.Spec.ProviderID)
	if err != nil {
		return ctrl.Result{}, err
	}
	ready, why := nodeHealth(node, m.Spec.ProviderID)
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
		if m.Status.CurrentStatus.Phase == "" {
			if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) { setPhase(m, v1alpha1.MachinePending, now) }); err != nil {
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
	if want := m.Labels[NodeLabel]; want != "" && want != node.Name {
		r.recorder.Eventf(m, node, corev1.EventTypeWarning, "NodeNameMismatch", string(typ),
			"the driver reported node name %q but the node carrying provider ID %s is %q", want, m.Spec.ProviderID, node.Name)
	}
	if m.Labels[NodeLabel] != node.Name {
		if err := r.patchMeta(ctx, m, func(m *v1alpha1.Machine) { setLabel(m, NodeLabel, node.Name) }); err != nil {
			return err
		}
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

// nodeFor returns the node whose spec.providerID is providerID, or nil.
func (r *machineReconciler) nodeFor(ctx context.Context, providerID string) (*corev1.Node, error) {
	if providerID == "" {
		return nil, nil
	}
	nodes := &corev1.NodeList{}
	if err := r.client.List(ctx, nodes, client.MatchingFields{indexNodeByProviderID: providerID}); err != nil {
		return nil, err
	}
	for i := range nodes.Items {
		if nodes.Items[i].DeletionTimestamp.IsZero() {
			return &nodes.Items[i], nil
		}
	}
	return nil, nil
}

// nodeHealth says whether node is Ready and, if not, why, in words.
func nodeHealth(node *corev1.Node, providerID string) (bool, string) {
	if node == nil {
		return false, fmt.Sprintf("no node with provider ID %s", providerID)
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
