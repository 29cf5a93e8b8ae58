package controller

import (
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
)

// TestNodeFoundByNodeLabel: the machine's node is the one its node label
// names (the NodeName the driver returned), as MCM finds it; the node's
// spec.providerID only earns a warning when it differs.
func TestNodeFoundByNodeLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		node        *corev1.Node
		wantPhase   v1alpha1.MachinePhase
		wantWarning string // prefix of a Warning event, "" for none
		wantDesc    string // in the last operation, when still Pending
	}{
		{name: "same name and provider ID", node: readyNode("node-1", "fake:///zone-a/vm-1", corev1.ConditionTrue),
			wantPhase: v1alpha1.MachineRunning},
		{name: "same name, provider ID in another form", node: readyNode("node-1", "fake:///region/vm-1", corev1.ConditionTrue),
			wantPhase: v1alpha1.MachineRunning, wantWarning: "Warning " + ReasonProviderIDMismatch + " the driver returned provider ID fake:///zone-a/vm-1 but node node-1 carries provider ID fake:///region/vm-1"},
		{name: "the provider ID on a node of another name", node: readyNode("ip-10-0-0-1", "fake:///zone-a/vm-1", corev1.ConditionTrue),
			wantPhase: v1alpha1.MachinePending, wantDesc: "no node named node-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, &fakeDriver{CreateFn: creates("fake:///zone-a/vm-1")}, newMachine("node-1"), tc.node)
			if _, err := f.reconcile("node-1"); err != nil { // create
				t.Fatal(err)
			}
			f.clock.Step(waitReasonAfter)                    // the status names what it waits for after a few moments
			if _, err := f.reconcile("node-1"); err != nil { // look for the node
				t.Fatal(err)
			}
			m := f.machine("node-1")
			if m.Status.CurrentStatus.Phase != tc.wantPhase {
				t.Fatalf("phase %s, want %s (last operation %q)", m.Status.CurrentStatus.Phase, tc.wantPhase, m.Status.LastOperation.Description)
			}
			if m.Labels[NodeLabel] != "node-1" {
				t.Errorf("node label rewritten to %q; the driver's NodeName must stay", m.Labels[NodeLabel])
			}
			events := f.drainEvents()
			if tc.wantWarning != "" && !hasEvent(events, tc.wantWarning) {
				t.Errorf("want event %q, got %q", tc.wantWarning, events)
			}
			if tc.wantWarning == "" && hasEvent(events, "Warning") {
				t.Errorf("unexpected warning: %q", events)
			}
			if !strings.Contains(m.Status.LastOperation.Description, tc.wantDesc) {
				t.Errorf("last operation %q does not say %q", m.Status.LastOperation.Description, tc.wantDesc)
			}
		})
	}
}
