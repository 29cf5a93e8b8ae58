package conformance

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/providerid"
)

// waitForPhase waits until machine name reaches phase want and returns it.
// It stops at once when the outcome is decided otherwise (the machine
// Failed, or its node joined under another name than the driver said),
// and every failure says why: the machine's last operation and code, its
// recent events, and the nodes that exist.
func (h *harness) waitForPhase(ctx context.Context, name string, want v1alpha1.MachinePhase) *v1alpha1.Machine {
	GinkgoHelper()
	return h.waitForPhaseWithin(ctx, name, want, h.cfg.Timeout)
}

// waitForPhaseWithin is waitForPhase with a wait of its own.
func (h *harness) waitForPhaseWithin(ctx context.Context, name string, want v1alpha1.MachinePhase, wait time.Duration) *v1alpha1.Machine {
	GinkgoHelper()
	var m *v1alpha1.Machine
	Eventually(func(g Gomega) {
		cur, err := h.machine(ctx, name)
		if apierrors.IsNotFound(err) {
			StopTrying(fmt.Sprintf("machine %s was deleted while the suite waited for it to become %s", name, want)).Now()
		}
		g.Expect(err).NotTo(HaveOccurred(), "reading machine %s", name)
		m = cur
		h.scanMachine(cur)
		if cur.Status.CurrentStatus.Phase == want {
			return
		}
		if why := h.decided(ctx, cur, want); why != "" {
			StopTrying(fmt.Sprintf("machine %s will not become %s: %s; %s", name, want, why, h.explain(ctx, cur))).Now()
		}
		g.Expect(cur.Status.CurrentStatus.Phase).To(Equal(want), func() string {
			return fmt.Sprintf("machine %s is %q, not %s; %s", name, cur.Status.CurrentStatus.Phase, want, h.explain(ctx, cur))
		})
	}).WithContext(ctx).WithTimeout(wait).WithPolling(poll).Should(Succeed())
	return m
}

// decided says why m can no longer reach want, or "" while it still can.
func (h *harness) decided(ctx context.Context, m *v1alpha1.Machine, want v1alpha1.MachinePhase) string {
	phase := m.Status.CurrentStatus.Phase
	if phase == v1alpha1.MachineFailed && want != v1alpha1.MachineFailed {
		return "it Failed"
	}
	if want != v1alpha1.MachineRunning || m.Spec.ProviderID == "" {
		return ""
	}
	nodeName := m.Labels[controller.NodeLabel]
	if nodeName != "" && h.nodeJoined(ctx, nodeName) {
		return ""
	}
	// The VM's node joined, under a name the driver did not return.
	nodes := &corev1.NodeList{}
	if err := h.admin.List(ctx, nodes); err != nil {
		return ""
	}
	for _, n := range nodes.Items {
		if n.Name != nodeName && n.Spec.ProviderID != "" && providerid.VMKey(n.Spec.ProviderID) == providerid.VMKey(m.Spec.ProviderID) {
			return fmt.Sprintf("CreateMachine/GetMachineStatus returned NodeName %q, but the node of VM %s registered as %q "+
				"(the contract: NodeName \"must match with the node name\")", nodeName, m.Spec.ProviderID, n.Name)
		}
	}
	return ""
}

// explain describes a machine for a failure message: its identity, last
// operation, recent events and the nodes that exist.
func (h *harness) explain(ctx context.Context, m *v1alpha1.Machine) string {
	op := m.Status.LastOperation
	var b strings.Builder
	fmt.Fprintf(&b, "the driver returned ProviderID %q and NodeName %q; last operation %s %s: %q",
		m.Spec.ProviderID, m.Labels[controller.NodeLabel], op.Type, op.State, op.Description)
	if op.ErrorCode != "" {
		fmt.Fprintf(&b, " (code %s)", op.ErrorCode)
	}
	if evs := h.recentEvents(ctx, m.Name, 5); len(evs) > 0 {
		fmt.Fprintf(&b, "; recent events: %s", strings.Join(evs, "; "))
	}
	fmt.Fprintf(&b, "; nodes: %s", h.nodeSummary(ctx, 10))
	return h.redact(b.String())
}

// recentEvents returns the last n events about machine name, oldest first.
func (h *harness) recentEvents(ctx context.Context, name string, n int) []string {
	list := &eventsv1.EventList{}
	if err := h.admin.List(ctx, list, client.InNamespace(h.namespace)); err != nil {
		return nil
	}
	var evs []eventsv1.Event
	for _, e := range list.Items {
		if e.Regarding.Name == name && e.Regarding.Kind == "Machine" {
			evs = append(evs, e)
		}
	}
	slices.SortFunc(evs, func(a, b eventsv1.Event) int { return a.EventTime.Compare(b.EventTime.Time) })
	if len(evs) > n {
		evs = evs[len(evs)-n:]
	}
	out := make([]string, 0, len(evs))
	for _, e := range evs {
		out = append(out, fmt.Sprintf("%s %s: %s", e.Type, e.Reason, e.Note))
	}
	return out
}

// nodeSummary lists up to n nodes as name (spec.providerID).
func (h *harness) nodeSummary(ctx context.Context, n int) string {
	nodes := &corev1.NodeList{}
	if err := h.admin.List(ctx, nodes); err != nil {
		return "<" + err.Error() + ">"
	}
	if len(nodes.Items) == 0 {
		return "none"
	}
	var parts []string
	for i, node := range nodes.Items {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(nodes.Items)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", node.Name, node.Spec.ProviderID))
	}
	return strings.Join(parts, ", ")
}

// waitForSetMachine waits until a machine with labels, other than the one
// named except, is Running and returns it. When the set's only candidate
// can no longer get there it stops at once, explaining as waitForPhase does.
func (h *harness) waitForSetMachine(ctx context.Context, labels map[string]string, except string) *v1alpha1.Machine {
	GinkgoHelper()
	var found *v1alpha1.Machine
	Eventually(func(g Gomega) {
		list := &v1alpha1.MachineList{}
		g.Expect(h.admin.List(ctx, list, client.InNamespace(h.namespace), client.MatchingLabels(labels))).To(Succeed())
		var candidates []*v1alpha1.Machine
		for i := range list.Items {
			if m := &list.Items[i]; m.Name != except && m.DeletionTimestamp.IsZero() {
				h.scanMachine(m)
				candidates = append(candidates, m)
			}
		}
		var states []string
		for _, m := range candidates {
			if m.Status.CurrentStatus.Phase == v1alpha1.MachineRunning {
				found = m
				return
			}
			if why := h.decided(ctx, m, v1alpha1.MachineRunning); why != "" && len(candidates) == 1 {
				StopTrying(fmt.Sprintf("the MachineSet's machine %s will not become Running: %s; %s", m.Name, why, h.explain(ctx, m))).Now()
			}
			states = append(states, fmt.Sprintf("machine %s is %q: %s", m.Name, m.Status.CurrentStatus.Phase, h.explain(ctx, m)))
		}
		g.Expect(states).To(BeEmpty(), "no machine of the MachineSet is Running (besides %q)", except)
		g.Expect(candidates).NotTo(BeEmpty(), "the MachineSet made no machine (besides %q)", except)
	}).WithContext(ctx).WithTimeout(h.cfg.Timeout).WithPolling(poll).Should(Succeed())
	return found
}

// waitUntilWaitingForClass waits until the reference controller says, in
// the machine's last operation, that it waits for its missing class.
// MCM's controller writes no status while the class is missing, so with it
// there is nothing to wait for.
func (h *harness) waitUntilWaitingForClass(ctx context.Context, name, class string) {
	if h.cfg.Controller == ControllerMCM {
		return
	}
	Eventually(func() string { got, _ := h.machine(ctx, name); return got.Status.LastOperation.Description },
		h.cfg.Timeout, poll).Should(ContainSubstring(class), "machine %s does not say it waits for its class %s", name, class)
}
