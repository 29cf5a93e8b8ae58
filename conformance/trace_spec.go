package conformance

import (
	"context"
	"slices"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/providers"
)

// tracedGroups are the groups whose specs drive machines through the
// controller under test; their traces are compared between controllers.
var tracedGroups = []string{"lifecycle", "safety", "finalizers"}

// tracedSpec says whether a spec's trace is recorded.
func tracedSpec(s SpecReport) bool {
	return slices.Contains(tracedGroups, groupOf(s))
}

// specCloud is the oracle's view of a spec's machines when its body ended.
type specCloud struct {
	names  []string
	made   map[string]int
	alive  map[string]int
	oracle bool
	ended  time.Time // when the body ended: later calls are teardown's
}

// traceNames lists the machine names a spec touched: its Machines, those
// of its MachineSets, and those of the VMs it made by direct driver calls.
func (h *harness) traceNames(ctx context.Context, t *tracker) []string {
	var names []string
	for _, m := range t.machines {
		names = append(names, m.Name)
	}
	for _, ms := range t.machineSets {
		if ms.Spec.Selector == nil {
			continue
		}
		owned := &v1alpha1.MachineList{}
		_ = h.admin.List(ctx, owned, client.InNamespace(h.namespace), client.MatchingLabels(ms.Spec.Selector.MatchLabels))
		for _, m := range owned.Items {
			names = append(names, m.Name)
		}
	}
	for _, vm := range t.vms {
		names = append(names, vm.r.machine.Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// cloudAtEnd reads the oracle when a spec's body has ended, before teardown.
func (h *harness) cloudAtEnd(ctx context.Context, t *tracker) specCloud {
	c := specCloud{names: h.traceNames(ctx, t), made: map[string]int{}, alive: map[string]int{}, ended: time.Now()}
	oracle, ok := h.simulator.(providers.Oracle)
	if !ok {
		return c
	}
	c.oracle = true
	for _, vm := range oracle.Census() {
		if !slices.Contains(c.names, vm.Machine) {
			continue
		}
		c.made[vm.Machine]++
		if vm.Alive {
			c.alive[vm.Machine]++
		}
	}
	return c
}

// attachTrace adds the spec's trace to its report, once teardown is done:
// phases (waiting briefly for the watch to see tracked Machines go), the
// controller's driver calls during the spec's body (what teardown sets off
// races the suite's own cleanup), and the oracle's counts.
func (h *harness) attachTrace(ctx context.Context, t *tracker, cloud specCloud) {
	if h.trace == nil {
		return
	}
	for _, m := range t.machines {
		_ = wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 2*time.Second, true, func(context.Context) (bool, error) {
			p := h.trace.phasesOf(m.Name)
			return len(p) == 0 || p[len(p)-1] == phaseDeleted, nil
		})
	}
	calls, recorded, err := h.trace.allCalls()
	if err != nil {
		AddReportEntry(noteEntry, "the trace leaves out the controller's driver calls: "+err.Error())
	}
	tr := specTrace{Controller: h.controllerName(), Machines: map[string]*machineTrace{},
		CallsRecorded: recorded, Oracle: cloud.oracle}
	for _, name := range cloud.names {
		mt := &machineTrace{Phases: h.trace.phasesOf(name), VMsMade: cloud.made[name], VMsAlive: cloud.alive[name]}
		for _, c := range calls {
			if c.Machine == name && !c.Time.Before(t.started) && c.Time.Before(cloud.ended) {
				mt.CallCount++
				mt.Calls = collapse(mt.Calls, c.Method+":"+c.Code)
			}
		}
		tr.Machines[name] = mt
	}
	AddReportEntry(traceEntry, tr, ReportEntryVisibilityNever)
}

// controllerName says which controller drove the run.
func (h *harness) controllerName() string {
	if h.cfg.Controller == ControllerMCM {
		return ControllerMCM
	}
	return ControllerReference
}
