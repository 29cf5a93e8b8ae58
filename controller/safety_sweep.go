package controller

import (
	"context"
	"errors"
	"fmt"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
)

// SafetySweep finds VMs no Machine accounts for and deletes them, as MCM's
// orphan-VM safety controller does: per MachineClass it calls ListMachines
// and looks each listed VM up by the machine NAME the driver listed it
// under. A VM is kept when that Machine carries its provider ID, or when the
// Machine is still in flight (phase "" or CrashLoopBackOff, or Pending
// without a provider ID: ours records Pending before the VM exists);
// every other VM is deleted through DeleteMachine with a stand-in Machine.
// So a driver that lists wrong names loses live VMs here, as under MCM. It
// runs every SafetySweepPeriod, when a machine is deleted and when a create
// answers OutOfRange (Trigger).
type SafetySweep struct {
	reader   client.Reader // uncached: the sweep must not act on a stale view
	client   client.Client
	recorder eventRecorder
	opts     Options
	trigger  chan struct{}
}

// Trigger asks for a sweep soon, without waiting for it.
func (s *SafetySweep) Trigger() {
	select {
	case s.trigger <- struct{}{}:
	default: // one is pending already
	}
}

// OrphanVM is a VM the sweep found without a Machine.
type OrphanVM struct {
	Class       types.NamespacedName
	ProviderID  string
	MachineName string // the name the driver reported for it
}

// SweepReport says what one sweep saw and did.
type SweepReport struct {
	Classes int
	Deleted []OrphanVM // orphans deleted through DeleteMachine
	Spared  []OrphanVM // VMs of machines still in flight
	// Skipped names classes whose driver does not implement ListMachines.
	Skipped []types.NamespacedName
}

// Start runs Sweep every Options.SafetySweepPeriod on Options.Clock until ctx ends.
func (s *SafetySweep) Start(ctx context.Context) error {
	if s.opts.SafetySweepPeriod < 0 {
		<-ctx.Done() // explicit Sweep calls only; triggers are dropped
		return nil
	}
	ticker := s.opts.Clock.NewTicker(s.opts.SafetySweepPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C():
		case <-s.trigger:
		}
		if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			log.FromContext(ctx).Error(err, "safety sweep")
		}
	}
}

// NeedLeaderElection makes the sweep run on the leader only.
func (s *SafetySweep) NeedLeaderElection() bool { return true }

// Sweep runs one pass over all MachineClasses in scope. Errors of single
// classes are joined; the other classes are still swept.
func (s *SafetySweep) Sweep(ctx context.Context) (SweepReport, error) {
	var report SweepReport
	classes := &v1alpha1.MachineClassList{}
	if err := s.reader.List(ctx, classes, client.InNamespace(s.opts.Namespace)); err != nil {
		return report, fmt.Errorf("safety sweep: listing MachineClasses: %w", err)
	}
	var errs []error
	listed := make([]classVMs, 0, len(classes.Items))
	for i := range classes.Items {
		report.Classes++
		cv, err := s.listVMs(ctx, &classes.Items[i], &report)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if cv != nil {
			listed = append(listed, *cv)
		}
	}
	// List machines after the VMs: a machine that records its provider ID in
	// between is then seen with it. Machines of every namespace in scope
	// count, since classes in two namespaces may name the same cluster.
	machines := &v1alpha1.MachineList{}
	if err := s.reader.List(ctx, machines, client.InNamespace(s.opts.Namespace)); err != nil {
		return report, errors.Join(append(errs, err)...)
	}
	known := indexMachines(machines.Items)
	for _, cv := range listed {
		errs = append(errs, s.sweepClass(ctx, cv, known, &report))
	}
	return report, errors.Join(errs...)
}

// classVMs is one class's ListMachines answer.
type classVMs struct {
	class *v1alpha1.MachineClass
	in    driverInputs
	vms   map[string]string // provider ID → machine name
}

// knownMachines indexes every machine in scope by namespace and name.
type knownMachines map[types.NamespacedName]*v1alpha1.Machine

func indexMachines(items []v1alpha1.Machine) knownMachines {
	k := knownMachines{}
	for i := range items {
		k[client.ObjectKeyFromObject(&items[i])] = &items[i]
	}
	return k
}

func (s *SafetySweep) listVMs(ctx context.Context, cls *v1alpha1.MachineClass, report *SweepReport) (*classVMs, error) {
	key := client.ObjectKeyFromObject(cls)
	in, err := secretForClass(ctx, s.reader, cls)
	if err != nil {
		return nil, fmt.Errorf("safety sweep of MachineClass %s: %w", key, err)
	}
	callCtx, cancel := context.WithTimeout(ctx, s.opts.DriverCallTimeout)
	defer cancel()
	resp, err := s.opts.Driver.ListMachines(callCtx, &driver.ListMachinesRequest{MachineClass: cls, Secret: in.secret})
	if ce := classify(opList, err); ce != nil {
		if ce.Code == codes.Unimplemented {
			report.Skipped = append(report.Skipped, key)
			return nil, nil
		}
		return nil, fmt.Errorf("safety sweep of MachineClass %s: %w", key, ce)
	}
	cv := &classVMs{class: cls, in: in, vms: map[string]string{}}
	if resp != nil && resp.MachineList != nil {
		cv.vms = resp.MachineList
	}
	return cv, nil
}

func (s *SafetySweep) sweepClass(ctx context.Context, cv classVMs, known knownMachines, report *SweepReport) error {
	key := client.ObjectKeyFromObject(cv.class)
	var errs []error
	for providerID, name := range cv.vms {
		m := known[types.NamespacedName{Namespace: cv.class.Namespace, Name: name}]
		if m != nil && m.Spec.ProviderID == providerID {
			continue
		}
		vm := OrphanVM{Class: key, ProviderID: providerID, MachineName: name}
		if m != nil && inFlight(m) {
			report.Spared = append(report.Spared, vm)
			continue
		}
		if err := s.deleteOrphan(ctx, cv.class, cv.in, vm); err != nil {
			errs = append(errs, err)
			continue
		}
		report.Deleted = append(report.Deleted, vm)
	}
	return errors.Join(errs...)
}

// inFlight says a machine may own a VM it has not recorded yet, as MCM
// judges: phase "" or CrashLoopBackOff; and, since ours records Pending
// before the VM exists, Pending without a provider ID.
func inFlight(m *v1alpha1.Machine) bool {
	if !m.DeletionTimestamp.IsZero() {
		return false
	}
	switch m.Status.CurrentStatus.Phase {
	case "", v1alpha1.MachineCrashLoopBackOff:
		return true
	case v1alpha1.MachinePending:
		return m.Spec.ProviderID == ""
	}
	return false
}

func (s *SafetySweep) deleteOrphan(ctx context.Context, cls *v1alpha1.MachineClass, in driverInputs, vm OrphanVM) error {
	standIn := &v1alpha1.Machine{
		ObjectMeta: metav1.ObjectMeta{Name: vm.MachineName, Namespace: cls.Namespace},
		Spec:       v1alpha1.MachineSpec{ProviderID: vm.ProviderID, Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: cls.Name}},
	}
	callCtx, cancel := context.WithTimeout(ctx, s.opts.DriverCallTimeout)
	defer cancel()
	_, err := s.opts.Driver.DeleteMachine(callCtx, &driver.DeleteMachineRequest{Machine: standIn, MachineClass: cls, Secret: in.secret})
	if ce := classify(opDelete, err); ce != nil {
		s.recorder.Eventf(cls, nil, corev1.EventTypeWarning, "OrphanDeleteFailed", "SafetySweep",
			"orphan VM %s (machine name %q): %s", vm.ProviderID, vm.MachineName, ce.Error())
		return fmt.Errorf("safety sweep: deleting orphan VM %s of MachineClass %s: %w", vm.ProviderID, vm.Class, ce)
	}
	s.recorder.Eventf(cls, nil, corev1.EventTypeNormal, "OrphanDeleted", "SafetySweep",
		"deleted VM %s: no Machine named %q carries its provider ID", vm.ProviderID, vm.MachineName)
	return nil
}
