package conformance

import (
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
)

var _ = describeGroup("lifecycle", func(env func() *harness) {
	// newMachine creates a class of its own and a Machine of it.
	newMachine := func(ctx SpecContext, h *harness, name string) *v1alpha1.Machine {
		_, _, err := h.newClass(ctx, name)
		Expect(err).NotTo(HaveOccurred())
		return h.createMachine(ctx, name, name)
	}

	It("takes a Machine to Running once the node the driver named joins, and deletes VM and node with it [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleCreateResponse)
		enforce(ruleLifecycle)
		m := newMachine(ctx, h, "lc-running")
		got := h.waitForPhase(ctx, m.Name, v1alpha1.MachineRunning)
		node := &corev1.Node{}
		Expect(h.admin.Get(ctx, client.ObjectKey{Name: got.Labels[controller.NodeLabel]}, node)).To(Succeed())
		should(node.Spec.ProviderID == got.Spec.ProviderID,
			"%s: the driver returned ProviderID %q, but its node %s carries spec.providerID %q",
			ruleProviderIDMatchesNode, got.Spec.ProviderID, node.Name, node.Spec.ProviderID)

		By("deleting the Machine: VM and node go, the finalizer is released")
		h.deleteMachine(ctx, got)
		Expect(h.waitGone(ctx, node)).To(BeTrue(), "node %s not deleted with its machine", node.Name)
		Expect(listVMs(ctx, h, m.Spec.Class.Name)).NotTo(HaveKey(got.Spec.ProviderID), "VM still listed after its Machine was deleted")
	})

	It("fails a Machine whose node never joins when the creation timeout passes", func(ctx SpecContext) {
		h := env()
		enforce(ruleLifecycle)
		h.hold("lc-timeout") // its kubelet never comes up
		m := newMachine(ctx, h, "lc-timeout")
		Eventually(func() string { got, _ := h.machine(ctx, m.Name); return got.Spec.ProviderID },
			h.cfg.Timeout, poll).ShouldNot(BeEmpty(), "CreateMachine never produced a VM")
		h.passCreationTimeout()
		got := h.waitForPhaseWithin(ctx, m.Name, v1alpha1.MachineFailed, h.timeoutWait())
		h.deleteMachine(ctx, got)
		Expect(listVMs(ctx, h, m.Spec.Class.Name)).NotTo(HaveKey(got.Spec.ProviderID), "failed machine's VM leaked")
	})
})
