package conformance

import (
	"time"

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

	It("takes a Machine to Running once its node joins, with ProviderID and NodeName matching the node", func(ctx SpecContext) {
		h := env()
		m := newMachine(ctx, h, "lc-running")
		Eventually(h.phase(ctx, m.Name), h.cfg.Timeout, poll).Should(Equal(v1alpha1.MachineRunning),
			"the machine never became Running; its last operation tells why")
		got, err := h.machine(ctx, m.Name)
		Expect(err).NotTo(HaveOccurred())
		node := &corev1.Node{}
		Expect(h.admin.Get(ctx, client.ObjectKey{Name: got.Labels[controller.NodeLabel]}, node)).To(Succeed())
		should(node.Spec.ProviderID == got.Spec.ProviderID,
			"CreateMachine: the ProviderID %q the driver returned differs from spec.providerID %q of node %s: "+
				"the contract expects it to match node.Spec.ProviderID", got.Spec.ProviderID, node.Spec.ProviderID, node.Name)

		By("deleting the Machine: VM and node go, the finalizer is released")
		h.deleteMachine(ctx, got)
		Eventually(h.gone(ctx, node), h.cfg.Timeout, poll).Should(BeTrue(), "node not deleted")
		Expect(listVMs(ctx, h, m.Spec.Class.Name)).NotTo(HaveKey(got.Spec.ProviderID), "VM still listed after its Machine was deleted")
	})

	It("fails a Machine whose node never joins when the creation timeout passes", func(ctx SpecContext) {
		h := env()
		h.hold("lc-timeout") // its kubelet never comes up
		m := newMachine(ctx, h, "lc-timeout")
		Eventually(func() string { got, _ := h.machine(ctx, m.Name); return got.Spec.ProviderID },
			h.cfg.Timeout, poll).ShouldNot(BeEmpty(), "CreateMachine never produced a VM")
		h.clock.Step(controller.DefaultCreationTimeout + time.Second)
		Eventually(h.phase(ctx, m.Name), h.cfg.Timeout, poll).Should(Equal(v1alpha1.MachineFailed))
		got, _ := h.machine(ctx, m.Name)
		h.deleteMachine(ctx, got)
		Expect(listVMs(ctx, h, m.Spec.Class.Name)).NotTo(HaveKey(got.Spec.ProviderID), "failed machine's VM leaked")
	})
})
