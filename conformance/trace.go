package conformance

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"k8s.io/apimachinery/pkg/runtime"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	"github.com/machine-conformance/machine-conformance/internal/drivercalls"
)

// traceRecorder watches what the controller under test does to each
// machine, for the differential check (differential.go): every phase a
// Machine passes through, as the API server saw it, and every driver call
// the controller made (in-process for the reference controller; through
// the file drivercalls.EnvFile names for MCM's).
type traceRecorder struct {
	mu       sync.Mutex
	phases   map[string][]string // by machine name; repeats collapsed
	calls    []drivercalls.Call  // the reference controller's
	callFile string              // MCM's, read when a spec ends
	// inPod is set when the controller runs in a pod: its calls are not
	// recorded.
	inPod bool
}

// phaseDeleted ends the phases of a Machine that no longer exists.
const phaseDeleted = "(deleted)"

func newTraceRecorder() *traceRecorder {
	return &traceRecorder{phases: map[string][]string{}}
}

// record keeps a call of the in-process controller.
func (t *traceRecorder) record(c drivercalls.Call) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls = append(t.calls, c)
}

// callCount is how many driver calls the controller made so far.
func (t *traceRecorder) callCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.calls)
}

// callsSince returns the driver calls made after the first n.
func (t *traceRecorder) callsSince(n int) []drivercalls.Call {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.calls[min(n, len(t.calls)):])
}

func (t *traceRecorder) phase(name, phase string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.phases[name]
	if len(p) > 0 && p[len(p)-1] == phase {
		return
	}
	t.phases[name] = append(p, phase)
}

// watchMachines starts an informer on the run's Machines; it stops with ctx.
func (t *traceRecorder) watchMachines(ctx context.Context, h *harness, scheme *runtime.Scheme) error {
	c, err := cache.New(h.config, cache.Options{Scheme: scheme,
		DefaultNamespaces: map[string]cache.Config{h.namespace: {}}})
	if err != nil {
		return err
	}
	inf, err := c.GetInformer(ctx, &v1alpha1.Machine{})
	if err != nil {
		return err
	}
	seen := func(obj any) {
		if m, ok := obj.(*v1alpha1.Machine); ok {
			t.phase(m.Name, string(m.Status.CurrentStatus.Phase))
		}
	}
	if _, err := inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    seen,
		UpdateFunc: func(_, obj any) { seen(obj) },
		DeleteFunc: func(obj any) {
			if d, ok := obj.(toolscache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if m, ok := obj.(*v1alpha1.Machine); ok {
				t.phase(m.Name, phaseDeleted)
			}
		},
	}); err != nil {
		return err
	}
	go func() { _ = c.Start(ctx) }()
	if !c.WaitForCacheSync(ctx) {
		return fmt.Errorf("watching the run's Machines for the trace: the informer never synced")
	}
	return nil
}

// machineTrace is what one machine went through in one spec.
type machineTrace struct {
	// Phases are the Machine's status phases in order ("" before the
	// controller set one), repeats collapsed, ending in "(deleted)" when
	// the Machine went away; empty for a machine name without a Machine
	// (a VM the spec made by a direct driver call).
	Phases []string `json:"phases,omitempty"`
	// Calls are the controller's driver calls for this machine name during
	// the spec's body, as "Method:Code", repeats collapsed; CallCount counts
	// them all.
	Calls     []string `json:"calls,omitempty"`
	CallCount int      `json:"callCount"`
	// VMsMade counts the VMs the cloud made for this machine name, by the
	// simulator's oracle; VMsAlive those alive when the spec's body ended.
	VMsMade  int `json:"vmsMade"`
	VMsAlive int `json:"vmsAlive"`
}

// specTrace is one spec's trace, attached to its report entry "trace".
type specTrace struct {
	Controller string                   `json:"controller"`
	Machines   map[string]*machineTrace `json:"machines"`
	// CallsRecorded is false when the controller's driver calls cannot be
	// seen (a provider's own binary); Oracle is false without
	// providers.Oracle. The comparison leaves out what was not recorded.
	CallsRecorded bool `json:"callsRecorded"`
	Oracle        bool `json:"oracle"`
}

// traceEntry names the report entry holding a spec's trace.
const traceEntry = "trace"

// collapse appends s to list unless it repeats the last element.
func collapse(list []string, s string) []string {
	if len(list) > 0 && list[len(list)-1] == s {
		return list
	}
	return append(list, s)
}

// calls returns every driver call the controller made so far, and whether
// its calls can be seen at all: MCM's child process records them only when
// it is bin/mcm-machine-controller, which creates the file at start.
func (t *traceRecorder) allCalls() ([]drivercalls.Call, bool, error) {
	if t.inPod {
		return nil, false, nil
	}
	if t.callFile == "" {
		t.mu.Lock()
		defer t.mu.Unlock()
		return slices.Clone(t.calls), true, nil
	}
	if _, err := os.Stat(t.callFile); err != nil {
		return nil, false, nil
	}
	calls, err := drivercalls.ReadFile(t.callFile)
	return calls, err == nil, err
}

func (t *traceRecorder) phasesOf(name string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.phases[name])
}
