package conformance

import (
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
	"github.com/machine-conformance/machine-conformance/providers"
)

// The driver group turns the MUSTs and SHOULDs of MCM's contract
// (docs/development/machine_error_codes.md) into checks on the driver alone.
var _ = describeGroup("driver", func(env func() *harness) {
	mustCreate := func(ctx SpecContext, h *harness, r request) *driver.CreateMachineResponse {
		GinkgoHelper()
		resp, err := r.create(ctx, h)
		expectCode(err, "CreateMachine with the provider's sample class", codes.OK)
		Expect(resp).NotTo(BeNil(), "CreateMachine returned OK and no response")
		return resp
	}

	It("CreateMachine returns a ProviderID of the form <provider>://<id> and a NodeName [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleCreateResponse)
		resp := mustCreate(ctx, h, sampleRequest(h, "drv-ids"))
		Expect(checkProviderID(resp.ProviderID)).To(Succeed())
		Expect(resp.NodeName).NotTo(BeEmpty(), "CreateMachine MUST return the NodeName the VM's node registers with (%s)", ruleCreateResponse)
	})

	It("CreateMachine for a Machine whose VM exists returns that VM [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleCreateExisting)
		r := sampleRequest(h, "drv-idempotent")
		first := mustCreate(ctx, h, r)
		second := mustCreate(ctx, h, r)
		Expect(second.ProviderID).To(Equal(first.ProviderID), "a second CreateMachine for the same Machine made another VM")
		vms, err := r.list(ctx, h)
		expectCode(err, "ListMachines", codes.OK, codes.Unimplemented)
		if err == nil {
			n := 0
			for _, name := range vms {
				if name == r.machine.Name {
					n++
				}
			}
			Expect(n).To(Equal(1), "ListMachines shows %d VMs for machine %s after two creates", n, r.machine.Name)
		}
	})

	It("GetMachineStatus of an existing VM returns the ProviderID and NodeName CreateMachine returned [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleStatusFilled)
		r := sampleRequest(h, "drv-status")
		created := mustCreate(ctx, h, r)
		st, err := r.status(ctx, h)
		expectCode(err, "GetMachineStatus of an existing VM", codes.OK, codes.Unimplemented)
		if err != nil {
			Skip("GetMachineStatus is not implemented")
		}
		Expect(st.ProviderID).To(Equal(created.ProviderID), "GetMachineStatus and CreateMachine disagree on the ProviderID")
		Expect(st.NodeName).To(Equal(created.NodeName), "GetMachineStatus and CreateMachine disagree on the NodeName")
		again, err := r.status(ctx, h)
		expectCode(err, "GetMachineStatus asked again (it MUST be idempotent)", codes.OK)
		Expect(*again).To(Equal(*st), "GetMachineStatus answered differently when asked again")
	})

	It("GetMachineStatus of a VM that does not exist returns NotFound [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleStatusNotFound)
		_, err := sampleRequest(h, "drv-status-absent").status(ctx, h)
		expectCode(err, "GetMachineStatus of an absent VM", codes.NotFound, codes.Unimplemented)
	})

	It("DeleteMachine of a VM that does not exist returns OK [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleDeleteAbsent)
		err := sampleRequest(h, "drv-delete-absent").delete(ctx, h, "")
		expectCode(err, "DeleteMachine of an absent VM", codes.OK)
	})

	It("DeleteMachine removes the VM: ListMachines no longer shows it, a second delete is OK [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleDeleteMaps)
		r := sampleRequest(h, "drv-delete")
		created := mustCreate(ctx, h, r)
		expectCode(r.delete(ctx, h, created.ProviderID), "DeleteMachine", codes.OK)
		vms, err := r.list(ctx, h)
		expectCode(err, "ListMachines", codes.OK, codes.Unimplemented)
		Expect(vms).NotTo(HaveKey(created.ProviderID), "VM %s still listed after DeleteMachine returned OK", created.ProviderID)
		if chaos, ok := h.simulator.(providers.Chaos); ok {
			alive, _ := chaos.Alive(created.ProviderID)
			Expect(alive).To(BeFalse(), "VM %s is still alive in the cloud after DeleteMachine returned OK", created.ProviderID)
		}
		_, err = r.status(ctx, h)
		expectCode(err, "GetMachineStatus after DeleteMachine", codes.NotFound, codes.Unimplemented)
		expectCode(r.delete(ctx, h, created.ProviderID), "a second DeleteMachine", codes.OK)
	})

	It("ListMachines maps each VM's ProviderID to its Machine's name [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleListMap)
		r := sampleRequest(h, "drv-list")
		created := mustCreate(ctx, h, r)
		vms, err := r.list(ctx, h)
		expectCode(err, "ListMachines", codes.OK, codes.Unimplemented)
		if err != nil {
			Skip("ListMachines is not implemented: orphan VMs cannot be found by the safety sweep")
		}
		Expect(vms).To(HaveKeyWithValue(created.ProviderID, r.machine.Name))
	})

	It("ListMachines and DeleteMachine leave another cluster's VMs alone [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleOwnCluster)
		if h.cfg.Provider.ForeignProviderSpec == nil {
			Skip("the provider declares no ForeignProviderSpec")
		}
		foreign := newRequest(h, "drv-foreign", h.cfg.Provider.ForeignProviderSpec, h.cfg.Provider.SampleSecret)
		theirs := mustCreate(ctx, h, foreign)
		ours := sampleRequest(h, "drv-foreign")
		vms, err := ours.list(ctx, h)
		expectCode(err, "ListMachines", codes.OK, codes.Unimplemented)
		Expect(vms).NotTo(HaveKey(theirs.ProviderID), "ListMachines of our class lists another cluster's VM %s", theirs.ProviderID)
		// Same machine name, our class: the driver SHALL only act on our cluster.
		expectCode(ours.delete(ctx, h, ""), "DeleteMachine by name in our cluster", codes.OK)
		Expect(foreignVMAlive(ctx, h, foreign, theirs.ProviderID)).To(BeTrue(),
			"DeleteMachine for our cluster deleted another cluster's VM %s", theirs.ProviderID)
	})

	It("InitializeMachine answers a code of its table and, on OK, the VM's ProviderID and NodeName [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleInitResponse)
		r := sampleRequest(h, "drv-init")
		created := mustCreate(ctx, h, r)
		m := r.machine.DeepCopy()
		m.Spec.ProviderID = created.ProviderID
		resp, err := h.driver.InitializeMachine(ctx, &driver.InitializeMachineRequest{Machine: m, MachineClass: r.class, Secret: r.secret})
		expectCode(err, "InitializeMachine ("+ruleInitCodes.String()+")",
			codes.OK, codes.NotFound, codes.Unimplemented, codes.Internal, codes.Uninitialized)
		if err != nil {
			return
		}
		Expect(resp).NotTo(BeNil(), "InitializeMachine answered OK without a response (MCM reads resp.ProviderID)")
		if resp.ProviderID != "" {
			Expect(resp.ProviderID).To(Equal(created.ProviderID), "InitializeMachine and CreateMachine disagree on the ProviderID")
		}
		if resp.NodeName != "" {
			Expect(resp.NodeName).To(Equal(created.NodeName), "InitializeMachine and CreateMachine disagree on the NodeName")
		}
		should(resp.ProviderID != "" && resp.NodeName != "",
			"InitializeMachine answered OK with ProviderID %q and NodeName %q; the contract expects both", resp.ProviderID, resp.NodeName)
	})

	It("InitializeMachine of a machine without a VM answers NotFound or Unimplemented [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleInitCodes)
		r := sampleRequest(h, "drv-init-absent")
		_, err := h.driver.InitializeMachine(ctx, &driver.InitializeMachineRequest{Machine: r.machine, MachineClass: r.class, Secret: r.secret})
		expectCode(err, "InitializeMachine of a machine without a VM (5 NOT_FOUND: VM Instance for Machine isn't found at provider)",
			codes.NotFound, codes.Unimplemented)
	})

	It("GetVolumeIDs of no volumes answers OK or Unimplemented [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleVolumeIDs)
		resp, err := h.driver.GetVolumeIDs(ctx, &driver.GetVolumeIDsRequest{})
		expectCode(err, "GetVolumeIDs", codes.OK, codes.Unimplemented)
		if err == nil {
			should(resp != nil && len(resp.VolumeIDs) == 0, "GetVolumeIDs of no volumes returned %v", resp)
		}
	})
})

// foreignVMAlive asks whether another cluster's VM still exists: the
// simulator's oracle if there is one, else the driver with the foreign
// class (ListMachines, or GetMachineStatus where listing is unimplemented).
func foreignVMAlive(ctx SpecContext, h *harness, foreign request, providerID string) bool {
	GinkgoHelper()
	if chaos, ok := h.simulator.(providers.Chaos); ok {
		alive, _ := chaos.Alive(providerID)
		return alive
	}
	listed, err := foreign.list(ctx, h)
	if err == nil {
		_, ok := listed[providerID]
		return ok
	}
	expectCode(err, "ListMachines with the foreign class", codes.Unimplemented)
	_, err = foreign.status(ctx, h)
	expectCode(err, "GetMachineStatus with the foreign class", codes.OK, codes.NotFound, codes.Unimplemented)
	if code, _ := machinecode.Of(err); code == codes.Unimplemented {
		Skip("neither ListMachines nor GetMachineStatus is implemented: another cluster's VM cannot be observed")
	}
	return err == nil
}
