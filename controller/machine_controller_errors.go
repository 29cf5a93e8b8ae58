package controller

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
)

// markFailed moves a machine to the terminal Failed phase.
func (r *machineReconciler) markFailed(ctx context.Context, m *v1alpha1.Machine, typ v1alpha1.MachineOperationType, msg, code string) error {
	r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "Failed", string(typ), "%s", msg)
	now := r.opts.Clock.Now()
	return r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		setPhase(m, v1alpha1.MachineFailed, now)
		setLastOperation(m, lastOp{typ: typ, state: v1alpha1.MachineStateFailed, desc: msg, code: code}, now)
	})
}
