package conformance

import (
	"fmt"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/machine-conformance/machine-conformance/internal/providerid"
	"github.com/machine-conformance/machine-conformance/providers"
)

// The safety group runs the reference controller's orphan sweep over the
// provider's ListMachines and DeleteMachine, and judges the outcome with
// the simulator's oracle, not with the driver's word. Every VM it needs is
// made through the driver under test, so it fits drivers of any shape.
var _ = describeGroup("safety", func(env func() *harness) {
	It("the sweep deletes this cluster's orphan VM and spares machines' VMs, in-flight machines and other clusters [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleOrphans)
		chaos := h.chaos()
		carried := h.runningMachine(ctx, "safety-carried")
		// An orphan: a VM of the carried machine's class whose machine name
		// no Machine has.
		orphanReq := sampleRequest(h, "safety-orphan")
		orphanReq.class.Name = "safety-carried"
		orphan, err := orphanReq.create(ctx, h)
		expectCode(err, "CreateMachine of an orphan (a machine name without a Machine)", codes.OK)
		var foreign string
		if h.cfg.Provider.ForeignProviderSpec != nil {
			r := newRequest(h, "safety-foreign", h.cfg.Provider.ForeignProviderSpec, h.cfg.Provider.SampleSecret)
			resp, err := r.create(ctx, h)
			expectCode(err, "CreateMachine with the ForeignProviderSpec", codes.OK)
			foreign = resp.ProviderID
		}
		// In flight: the Machine exists without a ProviderID (its class is
		// not there yet) while its VM already is.
		inflight := h.createMachine(ctx, "safety-inflight", "safety-not-yet")
		h.waitUntilWaitingForClass(ctx, inflight.Name, "safety-not-yet")
		inflightReq := sampleRequest(h, inflight.Name)
		inflightReq.class.Name = "safety-carried"
		inflightVM, err := inflightReq.create(ctx, h)
		expectCode(err, "CreateMachine for the in-flight machine", codes.OK)

		Expect(h.sweep(ctx)).To(Succeed(), "the safety sweep failed; ListMachines or DeleteMachine answered with an error")
		alive := func(id string) bool { a, _ := chaos.Alive(id); return a }
		Eventually(func() bool { return alive(orphan.ProviderID) }, h.cfg.Timeout, poll).Should(BeFalse(),
			"orphan VM %s survived the sweep: ListMachines does not list it, or DeleteMachine of a stand-in Machine does not delete it", orphan.ProviderID)
		Expect(alive(carried.Spec.ProviderID)).To(BeTrue(), "the sweep deleted VM %s of machine %s", carried.Spec.ProviderID, carried.Name)
		Expect(alive(inflightVM.ProviderID)).To(BeTrue(), "the sweep deleted VM %s of in-flight machine %s", inflightVM.ProviderID, inflight.Name)
		if foreign != "" {
			Expect(alive(foreign)).To(BeTrue(), "the sweep deleted another cluster's VM %s", foreign)
		}
	})

	It("a machine whose VM vanished, and its node with it, is deleted [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleOrphans)
		chaos := h.chaos()
		m := h.runningMachine(ctx, "safety-vanish")
		Expect(chaos.Vanish(m.Spec.ProviderID)).To(Succeed())
		// Detected by the sweep (ListMachines no longer lists it) or by node
		// health (its node left), whichever comes first.
		// Its node goes with it, and MCM deletes a machine whose node went
		// away at once; so does the reference controller.
		Expect(h.sweep(ctx)).To(Succeed())
		Expect(h.waitGone(ctx, m)).To(BeTrue(), "machine %s whose VM and node vanished was not deleted", m.Name)
	})

	It("a retry after a lost CreateMachine answer makes no second VM, even while reads lag [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleCreateExisting)
		chaos := h.chaos()
		before := map[string]bool{}
		for _, id := range chaos.LiveVMs() {
			before[providerid.VMKey(id)] = true
		}
		// Reads lag (the cloud is eventually consistent), so a driver cannot
		// find its first VM by looking: only an idempotent create (a client
		// token) avoids a second one.
		restore := chaos.Lag(time.Hour)
		defer restore()
		// Three lost answers: an SDK with the AWS default of 3 attempts
		// absorbs them in one call, a driver without SDK retries needs the
		// controller's retries. Either way exactly one VM must result.
		const lost = 3
		defer chaos.Fail(providers.FaultLostResponse, lost)()
		r := sampleRequest(h, "safety-lost")
		_, err := r.create(ctx, h)
		for retry := 1; err != nil && retry <= lost; retry++ {
			expectCode(err, "CreateMachine after a lost answer", codes.Unavailable, codes.Unknown, codes.Internal, codes.DeadlineExceeded)
			_, err = r.create(ctx, h) // the controller's retry
		}
		expectCode(err, fmt.Sprintf("CreateMachine after %d lost answers and as many retries", lost), codes.OK)
		created := newVMs(chaos, before)
		for _, id := range created {
			trackVM(h, r, id)
		}
		Expect(created).To(HaveLen(1), "%d VMs for one machine after a lost answer and a retry (%v): CreateMachine must be idempotent, e.g. with a client token", len(created), created)
	})
})
