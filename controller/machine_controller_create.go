package controller

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
)

// vmIdentity is what a driver reports for the VM backing a machine.
type vmIdentity struct {
	providerID     string
	nodeName       string
	lastKnownState string
}

// reconcileCreate finds or creates the VM of a machine that has no provider
// ID yet: GetMachineStatus first (adopting a VM that already exists, as MCM
// does), then CreateMachine, then InitializeMachine; the machine turns
// Pending once its VM is recorded. A failure of any of
// them puts the machine in CrashLoopBackOff until the period MCM waits for
// its code has passed (createFailed).
func (r *machineReconciler) reconcileCreate(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (ctrl.Result, error) {
	// The phase stays empty until the VM exists, as under MCM: the safety
	// sweep counts such a machine in flight and leaves its VM alone.
	if wait := r.retryWait(m); wait > 0 {
		return r.waitOnClock(m, wait), nil
	}

	vm, needsInit, ce := r.findOrCreateVM(ctx, m, in)
	if ce != nil {
		return r.createFailed(ctx, m, ce)
	}
	var initErr *callError
	if needsInit {
		initialized, ce := r.initialize(ctx, m, in, vm.providerID)
		if ce == nil && initialized.providerID != "" {
			vm.providerID, vm.nodeName = initialized.providerID, cmp.Or(initialized.nodeName, vm.nodeName)
		}
		needsInit, initErr = ce != nil, ce // keep the VM, initialize again after ShortRetry
	}
	if err := r.recordVM(ctx, m, vm, needsInit); err != nil {
		return ctrl.Result{}, err
	}
	if initErr != nil {
		return r.createFailed(ctx, m, initErr)
	}
	r.recorder.Eventf(m, nil, corev1.EventTypeNormal, "VMCreated", "Create",
		"VM %s backs this machine; waiting for node %q to be Ready", vm.providerID, vm.nodeName)
	return r.pollBefore(m, r.opts.creationTimeout(m)), nil // node events wake it sooner
}

// retryWait is how long a machine in CrashLoopBackOff still waits, on
// Clock, before its create flow runs again: the period MCM gives the code
// of its last failure.
func (r *machineReconciler) retryWait(m *v1alpha1.Machine) time.Duration {
	if m.Status.CurrentStatus.Phase != v1alpha1.MachineCrashLoopBackOff {
		return 0
	}
	op := m.Status.LastOperation
	period := r.opts.retryPeriod(m, codes.StringToCode(op.ErrorCode))
	return op.LastUpdateTime.Add(period).Sub(r.opts.Clock.Now())
}

// createFailed records a failed create-flow call as MCM does: the machine
// goes to CrashLoopBackOff and is tried again after the period of its
// code, or to Failed when the call failed after the creation timeout.
func (r *machineReconciler) createFailed(ctx context.Context, m *v1alpha1.Machine, ce *callError) (ctrl.Result, error) {
	if ctx.Err() != nil {
		return ctrl.Result{}, ctx.Err() // we are shutting down: not the driver's fault
	}
	now := r.opts.Clock.Now()
	if age, limit := phaseAge(m, now), r.opts.creationTimeout(m); age > limit {
		msg := fmt.Sprintf("%s; creation timeout: not Running after %s (limit %s)", ce.Error(), age.Round(time.Second), limit)
		return ctrl.Result{}, r.markFailed(ctx, m, v1alpha1.MachineOperationCreate, msg, ce.Code.String())
	}
	period := r.opts.retryPeriod(m, ce.Code)
	msg := fmt.Sprintf("%s; retrying in %s", ce.Error(), period)
	r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "CrashLoopBackOff", "Create", "%s", msg)
	if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		setPhase(m, v1alpha1.MachineCrashLoopBackOff, now)
		setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationCreate, state: v1alpha1.MachineStateFailed,
			desc: msg, code: ce.Code.String()}, now)
	}); err != nil {
		return ctrl.Result{}, err
	}
	if ce.Code == codes.OutOfRange && r.sweep != nil {
		r.sweep.Trigger() // several VMs for one machine: the safety sweep sorts them out
	}
	return r.waitOnClock(m, period), nil
}

// findOrCreateVM returns the machine's VM and whether it still needs
// InitializeMachine.
func (r *machineReconciler) findOrCreateVM(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (vmIdentity, bool, *callError) {
	callCtx, cancel := r.callContext(ctx)
	defer cancel()
	st, err := r.opts.Driver.GetMachineStatus(callCtx, &driver.GetMachineStatusRequest{
		Machine: m, MachineClass: in.class, Secret: in.secret})
	ce := classify(opStatus, err)
	switch {
	case ce == nil && st != nil && st.ProviderID != "" && st.NodeName != "":
		return vmIdentity{providerID: st.ProviderID, nodeName: st.NodeName}, false, nil
	case ce == nil:
		// MCM refuses to guess: an OK without identity is an Internal error.
		return vmIdentity{}, false, &callError{Op: opStatus, Code: codes.Internal,
			Message: "GetMachineStatus answered OK without a ProviderID and NodeName"}
	case ce.Code == codes.Uninitialized:
		// The VM exists but was never initialized; InitializeMachine reports its identity.
		vm, ice := r.initialize(ctx, m, in, "")
		if ice == nil && vm.providerID != "" {
			return vm, false, nil
		}
		if ice != nil {
			return vmIdentity{}, false, ice
		}
	case ce.Code == codes.NotFound || ce.Code == codes.Unimplemented:
		// No VM yet, or the driver cannot tell: create.
	default:
		return vmIdentity{}, false, ce
	}

	callCtx, cancel = r.callContext(ctx)
	defer cancel()
	resp, err := r.opts.Driver.CreateMachine(callCtx, &driver.CreateMachineRequest{
		Machine: m, MachineClass: in.class, Secret: in.secret})
	if ce := classify(opCreate, err); ce != nil {
		return vmIdentity{}, false, ce
	}
	if resp == nil || resp.ProviderID == "" {
		return vmIdentity{}, false, &callError{Op: opCreate, Code: codes.Internal,
			Message: "CreateMachine returned OK without a ProviderID"}
	}
	return vmIdentity{providerID: resp.ProviderID, nodeName: resp.NodeName, lastKnownState: resp.LastKnownState}, true, nil
}

// initialize calls InitializeMachine. A nil error means initialization is
// done or, per the contract (NotFound, Unimplemented), skipped.
func (r *machineReconciler) initialize(ctx context.Context, m *v1alpha1.Machine, in driverInputs, providerID string) (vmIdentity, *callError) {
	callCtx, cancel := r.callContext(ctx)
	defer cancel()
	withID := m.DeepCopy()
	if providerID != "" {
		withID.Spec.ProviderID = providerID
	}
	resp, err := r.opts.Driver.InitializeMachine(callCtx, &driver.InitializeMachineRequest{
		Machine: withID, MachineClass: in.class, Secret: in.secret})
	ce := classify(opInitialize, err)
	if ce != nil {
		if ce.Code == codes.Unimplemented {
			return vmIdentity{}, nil // MCM skips initialization on Unimplemented only
		}
		return vmIdentity{}, ce
	}
	if resp == nil {
		return vmIdentity{}, nil
	}
	return vmIdentity{providerID: resp.ProviderID, nodeName: resp.NodeName}, nil
}

// recordVM stores the VM's identity on the machine: spec.providerID and the
// node label first (so the VM is never forgotten), then the status.
func (r *machineReconciler) recordVM(ctx context.Context, m *v1alpha1.Machine, vm vmIdentity, needsInit bool) error {
	if err := r.patchMeta(ctx, m, func(m *v1alpha1.Machine) {
		m.Spec.ProviderID = vm.providerID
		if vm.nodeName != "" {
			setLabel(m, NodeLabel, vm.nodeName)
		}
		if needsInit {
			metav1.SetMetaDataAnnotation(&m.ObjectMeta, InitializationPendingAnnotation, "true")
		} else {
			delete(m.Annotations, InitializationPendingAnnotation)
		}
	}); err != nil {
		return fmt.Errorf("recording provider ID %s on machine %s/%s: %w", vm.providerID, m.Namespace, m.Name, err)
	}
	now := r.opts.Clock.Now()
	return r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
		if vm.lastKnownState != "" {
			m.Status.LastKnownState = vm.lastKnownState
		}
		setPhase(m, v1alpha1.MachinePending, now)
		setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationCreate, state: v1alpha1.MachineStateProcessing,
			desc: fmt.Sprintf("VM %s created; waiting for its node to be Ready", vm.providerID)}, now)
	})
}

// checkCreationTimeout fails a machine that has been Pending too long.
func (r *machineReconciler) checkCreationTimeout(ctx context.Context, m *v1alpha1.Machine) (ctrl.Result, bool, error) {
	if p := m.Status.CurrentStatus.Phase; p != v1alpha1.MachinePending && p != v1alpha1.MachineCrashLoopBackOff {
		return ctrl.Result{}, false, nil
	}
	age, limit := phaseAge(m, r.opts.Clock.Now()), r.opts.creationTimeout(m)
	if age <= limit {
		return ctrl.Result{}, false, nil
	}
	msg := fmt.Sprintf("creation timeout: machine not Running after %s (limit %s)", age.Round(time.Second), limit)
	return ctrl.Result{}, true, r.markFailed(ctx, m, v1alpha1.MachineOperationCreate, msg, "")
}
