package controller

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
)

// onCallError applies the contract's recovery for a failed driver call made
// during operation typ: retryable codes are recorded and returned as an error
// so the work queue retries with backoff; the others mark the machine Failed
// with the driver's message.
func (r *machineReconciler) onCallError(ctx context.Context, m *v1alpha1.Machine, typ v1alpha1.MachineOperationType, ce *callError) (ctrl.Result, error) {
	if ctx.Err() != nil {
		return ctrl.Result{}, ctx.Err() // we are shutting down: not the driver's fault
	}
	if recoveryFor(ce.Op, ce.Code) == retry {
		r.recorder.Eventf(m, nil, corev1.EventTypeWarning, string(ce.Op)+"Retry", string(typ), "%s; will retry", ce.Error())
		now := r.opts.Clock.Now()
		if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
			setLastOperation(m, lastOp{typ: typ, state: v1alpha1.MachineStateProcessing,
				desc: ce.Error() + "; will retry", code: ce.Code.String()}, now)
		}); err != nil {
			return ctrl.Result{}, err
		}
		return ctrl.Result{}, ce
	}
	return ctrl.Result{}, r.markFailed(ctx, m, typ, ce.Error(), ce.Code.String())
}

// markFailed moves a machine to the terminal Failed phase.
func (r *machineReconciler) markFailed(ctx context.Context, m *v1alpha1.Machine, typ v1alpha1.MachineOperationType, msg, code string) error {
	r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "Failed", string(typ), "%s", msg)
	now := r.opts.Clock.Now()
	return r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		setPhase(m, v1alpha1.MachineFailed, now)
		setLastOperation(m, lastOp{typ: typ, state: v1alpha1.MachineStateFailed, desc: msg, code: code}, now)
	})
}
