package conformance

import (
	"context"
	"errors"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// codeOf returns the machine code of a driver error: OK for nil, the
// status's code when err is a machine status, and Unknown (flagged by ok
// false) otherwise.
func codeOf(err error) (codes.Code, bool) {
	if err == nil {
		return codes.OK, true
	}
	var st *status.Status
	if errors.As(err, &st) {
		return st.Code(), true
	}
	return codes.Unknown, false
}

// listVMs calls ListMachines for a class of the run's namespace.
func listVMs(ctx context.Context, h *harness, className string) map[string]string {
	cls := &v1alpha1.MachineClass{}
	Expect(h.admin.Get(ctx, client.ObjectKey{Namespace: h.namespace, Name: className}, cls)).To(Succeed())
	sec := &corev1.Secret{}
	Expect(h.admin.Get(ctx, client.ObjectKey{Namespace: cls.SecretRef.Namespace, Name: cls.SecretRef.Name}, sec)).To(Succeed())
	resp, err := h.driver.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: cls, Secret: sec})
	Expect(err).NotTo(HaveOccurred(), "ListMachines")
	return resp.MachineList
}

var _ = describeGroup("driver", func(env func() *harness) {
	// request builds the objects a driver call takes, for a machine that
	// exists only in the request (as MCM's safety sweep does).
	type request struct {
		machine *v1alpha1.Machine
		class   *v1alpha1.MachineClass
		secret  *corev1.Secret
	}
	newRequest := func(ctx SpecContext, h *harness, name string) request {
		cls, sec, err := h.newClass(ctx, name)
		Expect(err).NotTo(HaveOccurred())
		return request{
			machine: &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name},
				Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: cls.Name}}},
			class: cls, secret: sec,
		}
	}
	create := func(ctx SpecContext, h *harness, r request) *driver.CreateMachineResponse {
		resp, err := h.driver.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: r.machine, MachineClass: r.class, Secret: r.secret})
		Expect(err).NotTo(HaveOccurred(), "CreateMachine with the provider's sample class")
		Expect(resp.ProviderID).NotTo(BeEmpty(), "CreateMachine MUST return a ProviderID")
		DeferCleanup(func(ctx SpecContext) {
			m := r.machine.DeepCopy()
			m.Spec.ProviderID = resp.ProviderID
			_, err := h.driver.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: m, MachineClass: r.class, Secret: r.secret})
			Expect(err).NotTo(HaveOccurred(), "cleanup: DeleteMachine of %s", resp.ProviderID)
			Expect(listVMs(ctx, h, r.class.Name)).NotTo(HaveKey(resp.ProviderID), "cleanup: VM %s leaked", resp.ProviderID)
		})
		return resp
	}

	It("CreateMachine is idempotent: calling it twice for one Machine returns the same VM [SHOULD]", func(ctx SpecContext) {
		h := env()
		r := newRequest(ctx, h, "drv-idempotent")
		first := create(ctx, h, r)
		second := create(ctx, h, r)
		Expect(second.ProviderID).To(Equal(first.ProviderID), "a second CreateMachine made another VM")
		Expect(listVMs(ctx, h, r.class.Name)).To(HaveKeyWithValue(first.ProviderID, r.machine.Name),
			"ListMachines MUST map the VM's ProviderID to its Machine's name")
	})

	It("DeleteMachine of a VM that does not exist returns OK [MUST]", func(ctx SpecContext) {
		h := env()
		r := newRequest(ctx, h, "drv-delete-absent")
		_, err := h.driver.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: r.machine, MachineClass: r.class, Secret: r.secret})
		code, isStatus := codeOf(err)
		Expect(isStatus).To(BeTrue(), "the driver returned %v, not a machine status", err)
		Expect(code).To(Equal(codes.OK), "DeleteMachine of an absent VM: %v", err)
	})

	It("GetMachineStatus of a VM that does not exist returns NotFound", func(ctx SpecContext) {
		h := env()
		r := newRequest(ctx, h, "drv-status-absent")
		_, err := h.driver.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: r.machine, MachineClass: r.class, Secret: r.secret})
		code, isStatus := codeOf(err)
		Expect(isStatus).To(BeTrue(), "the driver returned %v, not a machine status", err)
		Expect(code).To(BeElementOf(codes.NotFound, codes.Unimplemented), "GetMachineStatus of an absent VM: %v", err)
	})
})
