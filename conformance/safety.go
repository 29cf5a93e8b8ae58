package conformance

import (
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/providers"
)

// The safety group runs the reference controller's orphan sweep over the
// provider's ListMachines and DeleteMachine, and judges the outcome with
// the simulator's ownership oracle, not with the driver's word.
var _ = describeGroup("safety", func(env func() *harness) {
	It("the sweep deletes this cluster's orphan VM and spares machines' VMs, in-flight machines and other clusters [MUST]", func(ctx SpecContext) {
		h := env()
		chaos := h.chaos()
		carried := h.runningMachine(ctx, "safety-carried")
		orphan, err := chaos.InjectVM(h.cfg.Provider.SampleProviderSpec, "safety-orphan")
		Expect(err).NotTo(HaveOccurred())
		var foreign string
		if h.cfg.Provider.ForeignProviderSpec != nil {
			foreign, err = chaos.InjectVM(h.cfg.Provider.ForeignProviderSpec, "safety-foreign")
			Expect(err).NotTo(HaveOccurred())
			DeferCleanup(func() { _ = chaos.Vanish(foreign) })
		}
		// In flight: the Machine exists without a ProviderID (its class is
		// not there yet) while its VM already is.
		inflight := h.createMachine(ctx, "safety-inflight", "safety-not-yet")
		Eventually(h.phase(ctx, inflight.Name), h.cfg.Timeout, poll).Should(Equal(v1alpha1.MachinePending))
		inflightVM, err := chaos.InjectVM(h.cfg.Provider.SampleProviderSpec, inflight.Name)
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(func(ctx SpecContext) { h.deleteMachineWithoutClass(ctx, inflight); _ = chaos.Vanish(inflightVM) })

		_, err = h.ctrl.SafetySweep.Sweep(ctx)
		Expect(err).NotTo(HaveOccurred(), "the safety sweep failed; ListMachines or DeleteMachine answered with an error")
		alive := func(id string) bool { _, a, _ := chaos.Owner(id); return a }
		Expect(alive(orphan)).To(BeFalse(), "orphan VM %s survived the sweep: ListMachines does not list it, or DeleteMachine of a stand-in Machine does not delete it", orphan)
		Expect(alive(carried.Spec.ProviderID)).To(BeTrue(), "the sweep deleted VM %s of machine %s", carried.Spec.ProviderID, carried.Name)
		Expect(alive(inflightVM)).To(BeTrue(), "the sweep deleted the VM of in-flight machine %s", inflight.Name)
		if foreign != "" {
			Expect(alive(foreign)).To(BeTrue(), "the sweep deleted another cluster's VM %s", foreign)
		}
		h.deleteMachine(ctx, carried)
	})

	It("a machine whose VM vanished is detected and fails after the health timeout [MUST]", func(ctx SpecContext) {
		h := env()
		chaos := h.chaos()
		m := h.runningMachine(ctx, "safety-vanish")
		Expect(chaos.Vanish(m.Spec.ProviderID)).To(Succeed())
		// Detected by the sweep (ListMachines no longer lists it) or by node
		// health (its node left), whichever comes first.
		_, err := h.ctrl.SafetySweep.Sweep(ctx)
		Expect(err).NotTo(HaveOccurred())
		Eventually(h.phase(ctx, m.Name), h.cfg.Timeout, poll).Should(Equal(v1alpha1.MachineUnknown))
		h.clock.Step(controller.DefaultHealthTimeout + time.Second)
		Eventually(h.phase(ctx, m.Name), h.cfg.Timeout, poll).Should(Equal(v1alpha1.MachineFailed))
		h.deleteMachine(ctx, m)
	})

	It("a retry after a lost CreateMachine answer makes no second VM, even while reads lag [MUST]", func(ctx SpecContext) {
		h := env()
		chaos := h.chaos()
		before := map[string]bool{}
		for _, id := range chaos.LiveVMs() {
			before[id] = true
		}
		// Reads lag (the cloud is eventually consistent), so a driver cannot
		// find its first VM by looking: only an idempotent create (a client
		// token) avoids a second one.
		restore := chaos.Lag(time.Hour)
		defer restore()
		defer chaos.Fail(providers.FaultLostResponse, 3)() // more than the SDK retries within one call
		r := sampleRequest(h, "safety-lost")
		_, err := r.create(ctx, h) // may succeed through the SDK's own retries
		if err != nil {
			expectCode(err, "CreateMachine after a lost answer", codes.Unavailable, codes.Unknown, codes.Internal)
			_, err = r.create(ctx, h) // the controller's retry
			expectCode(err, "CreateMachine retried", codes.OK)
		}
		var created []string
		for _, id := range chaos.LiveVMs() {
			if !before[id] {
				created = append(created, id)
				DeferCleanup(func(ctx SpecContext) { _ = r.delete(ctx, h, id) })
			}
		}
		Expect(created).To(HaveLen(1), "%d VMs for one machine after a lost answer and a retry (%v): CreateMachine must be idempotent, e.g. with a client token", len(created), created)
	})
})

// deleteMachineWithoutClass deletes a machine whose class never existed;
// the controller cannot call the driver for it, so the test releases it.
func (h *harness) deleteMachineWithoutClass(ctx SpecContext, m *v1alpha1.Machine) {
	cur, err := h.machine(ctx, m.Name)
	if err != nil {
		return
	}
	patch := client.MergeFrom(cur.DeepCopy())
	cur.Finalizers = nil
	_ = h.admin.Patch(ctx, cur, patch)
	_ = h.admin.Delete(ctx, cur)
}
