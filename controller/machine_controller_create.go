package controller

import (
	"cmp"
	"context"
	"fmt"

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
// does), then CreateMachine, then InitializeMachine.
func (r *machineReconciler) reconcileCreate(ctx context.Context, m *v1alpha1.Machine, in driverInputs) (ctrl.Result, error) {
	now := r.opts.Clock.Now()
	if m.Status.CurrentStatus.Phase == "" {
		if err := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
			setPhase(m, v1alpha1.MachinePending, now)
			setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationCreate, state: v1alpha1.MachineStateProcessing,
				desc: "Creating the VM"}, now)
		}); err != nil {
			return ctrl.Result{}, err
		}
		r.recorder.Eventf(m, nil, corev1.EventTypeNormal, "Pending", "Create", "Creating the VM through the driver")
	}
	if res, done, err := r.checkCreationTimeout(ctx, m); done {
		return res, err
	}

	vm, needsInit, ce := r.findOrCreateVM(ctx, m, in)
	if ce != nil {
		return r.onCallError(ctx, m, v1alpha1.MachineOperationCreate, ce)
	}
	if needsInit {
		initialized, ce := r.initialize(ctx, m, in, vm.providerID)
		if ce != nil && recoveryFor(ce.Op, ce.Code) == fail {
			return r.onCallError(ctx, m, v1alpha1.MachineOperationCreate, ce)
		}
		needsInit = ce != nil // retry: keep the VM, try initialization again next time
		if ce == nil && initialized.providerID != "" {
			vm.providerID, vm.nodeName = initialized.providerID, cmp.Or(initialized.nodeName, vm.nodeName)
		}
	}
	if err := r.recordVM(ctx, m, vm, needsInit); err != nil {
		return ctrl.Result{}, err
	}
	r.recorder.Eventf(m, nil, corev1.EventTypeNormal, "VMCreated", "Create",
		"VM %s backs this machine; waiting for node %q to be Ready", vm.providerID, vm.nodeName)
	return ctrl.Result{RequeueAfter: r.opts.PollInterval}, nil
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
	case ce == nil && st != nil && st.ProviderID != "":
		return vmIdentity{providerID: st.ProviderID, nodeName: st.NodeName}, false, nil
	case ce == nil:
		// OK without a provider ID says nothing: create.
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
		if recoveryFor(opInitialize, ce.Code) == proceed {
			return vmIdentity{}, nil
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
	if m.Status.CurrentStatus.Phase != v1alpha1.MachinePending {
		return ctrl.Result{}, false, nil
	}
	age := phaseAge(m, r.opts.Clock.Now())
	if age <= r.opts.CreationTimeout {
		return ctrl.Result{}, false, nil
	}
	msg := fmt.Sprintf("creation timeout: machine not Running after %s (limit %s)", age.Round(1e9), r.opts.CreationTimeout)
	return ctrl.Result{}, true, r.markFailed(ctx, m, v1alpha1.MachineOperationCreate, msg, "")
}
