package controller

import (
	"context"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// lastOp is the content of Machine.Status.LastOperation.
type lastOp struct {
	typ   v1alpha1.MachineOperationType
	state v1alpha1.MachineState
	desc  string
	code  string
}

func setLastOperation(m *v1alpha1.Machine, op lastOp, now time.Time) {
	m.Status.LastOperation = v1alpha1.LastOperation{
		Type:           op.typ,
		State:          op.state,
		Description:    op.desc,
		ErrorCode:      op.code,
		LastUpdateTime: metav1.NewTime(now),
	}
}

// setPhase changes the phase and restarts the phase clock that the creation
// and health timeouts are measured against. Setting the current phase again
// keeps the clock running, and so does moving between Pending and
// CrashLoopBackOff: both are the creation, timed from its start.
func setPhase(m *v1alpha1.Machine, phase v1alpha1.MachinePhase, now time.Time) {
	old := m.Status.CurrentStatus.Phase
	if old == phase {
		return
	}
	m.Status.CurrentStatus.Phase = phase
	m.Status.CurrentStatus.TimeoutActive = phase == v1alpha1.MachinePending || phase == v1alpha1.MachineUnknown ||
		phase == v1alpha1.MachineCrashLoopBackOff
	if !(creating(old) && creating(phase)) {
		m.Status.CurrentStatus.LastUpdateTime = metav1.NewTime(now)
	}
}

func creating(p v1alpha1.MachinePhase) bool {
	return p == v1alpha1.MachinePending || p == v1alpha1.MachineCrashLoopBackOff
}

// phaseAge is how long the machine has been in its current phase on clock now.
func phaseAge(m *v1alpha1.Machine, now time.Time) time.Duration {
	since := m.Status.CurrentStatus.LastUpdateTime.Time
	if since.IsZero() {
		return 0
	}
	return now.Sub(since)
}

// patchStatus applies mutate to m and writes the status subresource with a
// merge patch, leaving m holding the server's answer. The patch carries m's
// resourceVersion: a decision taken on a stale copy fails with a conflict
// and is retried on fresh data instead of overwriting newer state.
func (r *machineReconciler) patchStatus(ctx context.Context, m *v1alpha1.Machine, mutate func(*v1alpha1.Machine)) error {
	orig := m.DeepCopy()
	mutate(m)
	return r.client.Status().Patch(ctx, m, client.MergeFromWithOptions(orig, client.MergeFromWithOptimisticLock{}))
}

// patchMeta applies mutate to m and writes spec and metadata with a merge patch.
func (r *machineReconciler) patchMeta(ctx context.Context, m *v1alpha1.Machine, mutate func(*v1alpha1.Machine)) error {
	orig := m.DeepCopy()
	mutate(m)
	return r.client.Patch(ctx, m, client.MergeFromWithOptions(orig, client.MergeFromWithOptimisticLock{}))
}

func setLabel(m *v1alpha1.Machine, key, value string) {
	metav1.SetMetaDataLabel(&m.ObjectMeta, key, value)
}
