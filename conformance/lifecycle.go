package conformance

import (
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
)

var _ = describeGroup("lifecycle", func(env func() *harness) {
	newMachine := func(ctx SpecContext, h *harness, name string, annotations map[string]string) *v1alpha1.Machine {
		cls, _, err := h.newClass(ctx, name)
		Expect(err).NotTo(HaveOccurred())
		m := &v1alpha1.Machine{
			ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name, Annotations: annotations},
			Spec:       v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: cls.Name}},
		}
		Expect(h.admin.Create(ctx, m)).To(Succeed())
		return m
	}
	get := func(ctx SpecContext, h *harness, m *v1alpha1.Machine) func() (*v1alpha1.Machine, error) {
		return func() (*v1alpha1.Machine, error) {
			out := &v1alpha1.Machine{}
			return out, h.admin.Get(ctx, client.ObjectKeyFromObject(m), out)
		}
	}
	phase := func(ctx SpecContext, h *harness, m *v1alpha1.Machine) func() v1alpha1.MachinePhase {
		return func() v1alpha1.MachinePhase {
			got, err := get(ctx, h, m)()
			if err != nil {
				return ""
			}
			return got.Status.CurrentStatus.Phase
		}
	}

	It("takes a Machine to Running once its node joins, with ProviderID and NodeName matching the node", func(ctx SpecContext) {
		h := env()
		m := newMachine(ctx, h, "lc-running", nil)
		Eventually(phase(ctx, h, m), h.cfg.Timeout, 100*time.Millisecond).Should(Equal(v1alpha1.MachineRunning),
			"the machine never became Running; its last operation tells why")
		got, err := get(ctx, h, m)()
		Expect(err).NotTo(HaveOccurred())
		node := &corev1.Node{}
		Expect(h.admin.Get(ctx, client.ObjectKey{Name: got.Labels[controller.NodeLabel]}, node)).To(Succeed())
		Expect(node.Spec.ProviderID).To(Equal(got.Spec.ProviderID),
			"the NodeName the driver returned must name the node that carries the ProviderID it returned")

		By("deleting the Machine: VM and node go, the finalizer is released")
		Expect(h.admin.Delete(ctx, got)).To(Succeed())
		Eventually(func() bool { _, err := get(ctx, h, m)(); return apierrors.IsNotFound(err) },
			h.cfg.Timeout, 100*time.Millisecond).Should(BeTrue(), "machine stuck in deletion (finalizer not released)")
		Eventually(func() bool {
			return apierrors.IsNotFound(h.admin.Get(ctx, client.ObjectKeyFromObject(node), &corev1.Node{}))
		},
			h.cfg.Timeout, 100*time.Millisecond).Should(BeTrue(), "node not deleted")
		Expect(listVMs(ctx, h, m.Spec.Class.Name)).NotTo(HaveKey(got.Spec.ProviderID), "VM still listed after its Machine was deleted")
	})

	It("fails a Machine whose node never joins when the creation timeout passes", func(ctx SpecContext) {
		h := env()
		h.hold("lc-timeout") // the simulator's kubelet never comes up
		m := newMachine(ctx, h, "lc-timeout", map[string]string{NoJoinAnnotation: "true"})
		Eventually(func() string { got, _ := get(ctx, h, m)(); return got.Spec.ProviderID },
			h.cfg.Timeout, 100*time.Millisecond).ShouldNot(BeEmpty(), "CreateMachine never produced a VM")
		h.clock.Step(controller.DefaultCreationTimeout + time.Second)
		Eventually(phase(ctx, h, m), h.cfg.Timeout, 100*time.Millisecond).Should(Equal(v1alpha1.MachineFailed))
		got, _ := get(ctx, h, m)()
		Expect(h.admin.Delete(ctx, got)).To(Succeed())
		Eventually(func() bool { _, err := get(ctx, h, m)(); return apierrors.IsNotFound(err) },
			h.cfg.Timeout, 100*time.Millisecond).Should(BeTrue(), "failed machine stuck in deletion")
		Expect(listVMs(ctx, h, m.Spec.Class.Name)).NotTo(HaveKey(got.Spec.ProviderID), "failed machine's VM leaked")
	})
})
