package controller

import (
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestCreateRetryPeriodsAreMCMs(t *testing.T) {
	t.Parallel()
	o, _ := Options{Driver: &fakeDriver{}}.withDefaults()
	tests := map[codes.Code]time.Duration{
		codes.ResourceExhausted: 10 * time.Minute,
		codes.Unknown:           5 * time.Second, codes.DeadlineExceeded: 5 * time.Second,
		codes.Aborted: 5 * time.Second, codes.Unavailable: 5 * time.Second,
		codes.InvalidArgument: 3 * time.Minute, codes.Internal: 3 * time.Minute,
		codes.OutOfRange: 3 * time.Minute, codes.Unauthenticated: 3 * time.Minute,
	}
	for code, want := range tests {
		if got := o.createRetryPeriod(code); got != want {
			t.Errorf("%s: %s, want %s", code, got, want)
		}
	}
}

func TestNodeHealthAsMCMJudgesIt(t *testing.T) {
	t.Parallel()
	o, _ := Options{Driver: &fakeDriver{}}.withDefaults()
	node := func(conds ...corev1.NodeCondition) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}, Status: corev1.NodeStatus{Conditions: conds}}
	}
	ready := corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionTrue}
	machine := func(nodeConditions string) *v1alpha1.Machine {
		m := newMachine("m1")
		m.Labels = map[string]string{NodeLabel: "n1"}
		if nodeConditions != "" {
			m.Spec.MachineConfiguration = &v1alpha1.MachineConfiguration{NodeConditions: &nodeConditions}
		}
		return m
	}
	tests := []struct {
		name    string
		m       *v1alpha1.Machine
		node    *corev1.Node
		healthy bool
		why     string
	}{
		{"ready", machine(""), node(ready), true, ""},
		{"no node", machine(""), nil, false, "no node named n1"},
		{"not ready", machine(""), node(corev1.NodeCondition{Type: corev1.NodeReady, Status: corev1.ConditionFalse}), false, "Ready condition is False"},
		{"disk pressure", machine(""), node(ready, corev1.NodeCondition{Type: corev1.NodeDiskPressure, Status: corev1.ConditionTrue}), false, "DiskPressure is True"},
		{"kernel deadlock unknown", machine(""), node(ready, corev1.NodeCondition{Type: "KernelDeadlock", Status: corev1.ConditionUnknown}), false, "KernelDeadlock is Unknown"},
		{"memory pressure is not on the list", machine(""), node(ready, corev1.NodeCondition{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionTrue}), true, ""},
		{"the machine's own list", machine("MemoryPressure"), node(ready, corev1.NodeCondition{Type: corev1.NodeMemoryPressure, Status: corev1.ConditionTrue}), false, "MemoryPressure is True"},
	}
	for _, tc := range tests {
		healthy, why := o.nodeHealth(tc.m, tc.node)
		if healthy != tc.healthy || !strings.Contains(why, tc.why) {
			t.Errorf("%s: healthy %v (%q), want %v (%q)", tc.name, healthy, why, tc.healthy, tc.why)
		}
	}
	tainted := node(ready)
	tainted.Spec.Taints = []corev1.Taint{{Key: CriticalComponentsNotReadyTaint, Effect: corev1.TaintEffectNoSchedule}}
	if !criticalComponentsPending(tainted) || criticalComponentsPending(node(ready)) {
		t.Error("the critical-components-not-ready taint is not recognised")
	}
}

// TestPerMachineTimeouts: a machine's MachineConfiguration overrides the
// controller's timeouts, as MCM's getEffective* do.
func TestPerMachineTimeouts(t *testing.T) {
	t.Parallel()
	d := &fakeDriver{CreateFn: creates("fake:///vm-1")}
	m := newMachine("m1")
	m.Spec.MachineConfiguration = &v1alpha1.MachineConfiguration{MachineCreationTimeout: &metav1.Duration{Duration: time.Minute}}
	f := newFixture(t, d, m)
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	f.clock.Step(61 * time.Second)
	if _, err := f.reconcile("m1"); err != nil {
		t.Fatal(err)
	}
	got := f.machine("m1")
	if got.Status.CurrentStatus.Phase != v1alpha1.MachineFailed || !strings.Contains(got.Status.LastOperation.Description, "limit 1m0s") {
		t.Fatalf("a 1-minute creationTimeout of the machine was not honoured: %+v", got.Status)
	}
	disabled := true
	h := newMachine("m2")
	h.Spec.MachineConfiguration = &v1alpha1.MachineConfiguration{DisableHealthTimeout: &disabled}
	if !healthTimeoutDisabled(h) || healthTimeoutDisabled(newMachine("m3")) {
		t.Error("disableHealthTimeout is not read")
	}
}
