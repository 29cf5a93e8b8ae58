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
// and deletes, through DeleteMachine with a stand-in Machine, every VM whose
// provider ID no Machine carries, sparing VMs of machines still in flight
// (their create returned but the provider ID is not recorded yet). It also
// reports Running machines whose VM is missing from the list and moves them
// to Unknown, so the health timeout replaces them.
type SafetySweep struct {
	reader   client.Reader // uncached: the sweep must not act on a stale view
	client   client.Client
	recorder eventRecorder
	opts     Options
}

// OrphanVM is a VM the sweep found without a Machine.
type OrphanVM struct {
	Class       types.NamespacedName
	ProviderID  string
	MachineName string // the name the driver reported for it
}

// SweepReport says what one sweep saw and did.
type SweepReport struct {
	Classes  int
	Deleted  []OrphanVM // orphans deleted through DeleteMachine
	Spared   []OrphanVM // VMs of machines still in flight
	Vanished []types.NamespacedName
	// Skipped names classes whose driver does not implement ListMachines.
	Skipped []types.NamespacedName
}

// Start runs Sweep every Options.SafetySweepPeriod on Options.Clock until ctx ends.
func (s *SafetySweep) Start(ctx context.Context) error {
	if s.opts.SafetySweepPeriod < 0 {
		<-ctx.Done()
		return nil
	}
	ticker := s.opts.Clock.NewTicker(s.opts.SafetySweepPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C():
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				log.FromContext(ctx).Error(err, "safety sweep")
			}
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

// knownMachines indexes every machine in scope.
type knownMachines struct {
	all          []v1alpha1.Machine
	byProviderID map[string]*v1alpha1.Machine
	inFlight     map[string]bool // machine names that may own an unrecorded VM
}

func indexMachines(items []v1alpha1.Machine) knownMachines {
	k := knownMachines{all: items, byProviderID: map[string]*v1alpha1.Machine{}, inFlight: map[string]bool{}}
	for i := range items {
		m := &items[i]
		if m.Spec.ProviderID != "" {
			k.byProviderID[m.Spec.ProviderID] = m
		}
		if inFlight(m) {
			k.inFlight[m.Name] = true
		}
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
		if _, ok := known.byProviderID[providerID]; ok {
			continue
		}
		vm := OrphanVM{Class: key, ProviderID: providerID, MachineName: name}
		if known.inFlight[name] {
			report.Spared = append(report.Spared, vm)
			continue
		}
		if err := s.deleteOrphan(ctx, cv.class, cv.in, vm); err != nil {
			errs = append(errs, err)
			continue
		}
		report.Deleted = append(report.Deleted, vm)
	}
	for i := range known.all {
		m := &known.all[i]
		if m.Namespace != cv.class.Namespace || m.Spec.Class.Name != cv.class.Name || m.Spec.ProviderID == "" ||
			m.Status.CurrentStatus.Phase != v1alpha1.MachineRunning {
			continue
		}
		if _, ok := cv.vms[m.Spec.ProviderID]; ok {
			continue
		}
		report.Vanished = append(report.Vanished, client.ObjectKeyFromObject(m))
		if err := s.markVanished(ctx, m.DeepCopy()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// inFlight says a machine may own a VM it has not recorded yet: it has no
// provider ID and is not being deleted (MCM spares phases "" and
// CrashLoopBackOff; our create path keeps such machines Pending).
func inFlight(m *v1alpha1.Machine) bool {
	if m.Spec.ProviderID != "" || !m.DeletionTimestamp.IsZero() {
		return false
	}
	switch m.Status.CurrentStatus.Phase {
	case "", v1alpha1.MachinePending, v1alpha1.MachineCrashLoopBackOff:
		return true
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
		"deleted VM %s (machine name %q): no Machine carries its provider ID", vm.ProviderID, vm.MachineName)
	return nil
}

func (s *SafetySweep) markVanished(ctx context.Context, m *v1alpha1.Machine) error {
	msg := fmt.Sprintf("VM %s is missing from ListMachines", m.Spec.ProviderID)
	s.recorder.Eventf(m, nil, corev1.EventTypeWarning, "VMVanished", "SafetySweep", "%s", msg)
	orig := m.DeepCopy()
	now := s.opts.Clock.Now()
	setPhase(m, v1alpha1.MachineUnknown, now)
	setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationHealthCheck, state: v1alpha1.MachineStateProcessing,
		desc: msg + fmt.Sprintf("; machine fails if not healthy within %s", s.opts.HealthTimeout)}, now)
	return s.client.Status().Patch(ctx, m, client.MergeFrom(orig))
}
