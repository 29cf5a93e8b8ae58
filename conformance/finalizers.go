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

// The finalizers group checks that a provider's machines, classes and
// secrets are held exactly while in use and that nothing is left stuck.
var _ = describeGroup("finalizers", func(env func() *harness) {
	finalizers := func(ctx SpecContext, h *harness, obj client.Object) func() []string {
		return func() []string {
			cur := obj.DeepCopyObject().(client.Object)
			if err := h.admin.Get(ctx, client.ObjectKeyFromObject(obj), cur); err != nil {
				return []string{"<" + err.Error() + ">"}
			}
			return cur.GetFinalizers()
		}
	}

	It("holds class and secret while a machine uses them, blocks their deletion, and releases them [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleFinalizers)
		m := h.runningMachine(ctx, "fin-hold")
		cls := &v1alpha1.MachineClass{}
		Expect(h.admin.Get(ctx, client.ObjectKey{Namespace: h.namespace, Name: "fin-hold"}, cls)).To(Succeed())
		sec := &corev1.Secret{}
		Expect(h.admin.Get(ctx, client.ObjectKey{Namespace: h.namespace, Name: "fin-hold"}, sec)).To(Succeed())
		Expect(m.Finalizers).To(ContainElement(controller.MachineFinalizer))
		node := &corev1.Node{}
		node.Name = m.Labels[controller.NodeLabel]
		Eventually(finalizers(ctx, h, node), h.cfg.Timeout, poll).Should(ContainElement(controller.NodeFinalizer))
		Eventually(finalizers(ctx, h, cls), h.cfg.Timeout, poll).Should(ContainElement(controller.MachineFinalizer))
		Eventually(finalizers(ctx, h, sec), h.cfg.Timeout, poll).Should(ContainElement(controller.SecretFinalizer))

		Expect(h.admin.Delete(ctx, cls)).To(Succeed())
		Expect(h.admin.Delete(ctx, sec)).To(Succeed())
		Consistently(h.gone(ctx, cls), time.Second, poll).Should(BeFalse(), "a class in use went away")
		Expect(h.gone(ctx, sec)()).To(BeFalse(), "a secret in use went away")

		h.deleteMachine(ctx, m)
		Eventually(h.gone(ctx, node), h.cfg.Timeout, poll).Should(BeTrue(), "node %s stuck after its machine went", node.Name)
		Eventually(h.gone(ctx, cls), h.cfg.Timeout, poll).Should(BeTrue(), "class stuck after its last machine went")
		Eventually(h.gone(ctx, sec), h.cfg.Timeout, poll).Should(BeTrue(), "secret stuck after its last class went")
	})

	It("puts back a node finalizer someone stripped [MUST]", func(ctx SpecContext) {
		h := env()
		h.referenceOnly("MCM v0.62.1 adds the node finalizer when it syncs the node, and does not put a stripped one back within the run's timeout")
		enforce(ruleFinalizers)
		m := h.runningMachine(ctx, "fin-node")
		node := &corev1.Node{}
		Expect(h.admin.Get(ctx, client.ObjectKey{Name: m.Labels[controller.NodeLabel]}, node)).To(Succeed())
		Eventually(finalizers(ctx, h, node), h.cfg.Timeout, poll).Should(ContainElement(controller.NodeFinalizer))
		Expect(h.admin.Get(ctx, client.ObjectKeyFromObject(node), node)).To(Succeed())
		patch := client.MergeFrom(node.DeepCopy())
		node.Finalizers = nil
		Expect(h.admin.Patch(ctx, node, patch)).To(Succeed())
		Eventually(finalizers(ctx, h, node), h.cfg.Timeout, poll).Should(ContainElement(controller.NodeFinalizer))
		h.deleteMachine(ctx, m)
		Eventually(h.gone(ctx, node), h.cfg.Timeout, poll).Should(BeTrue(), "node %s stuck after its machine went", node.Name)
	})

	It("puts back a class finalizer someone stripped [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleFinalizers)
		m := h.runningMachine(ctx, "fin-strip")
		cls := &v1alpha1.MachineClass{}
		key := client.ObjectKey{Namespace: h.namespace, Name: "fin-strip"}
		Eventually(finalizers(ctx, h, &v1alpha1.MachineClass{ObjectMeta: m.ObjectMeta}), h.cfg.Timeout, poll).ShouldNot(BeEmpty())
		Expect(h.admin.Get(ctx, key, cls)).To(Succeed())
		patch := client.MergeFrom(cls.DeepCopy())
		cls.Finalizers = nil
		Expect(h.admin.Patch(ctx, cls, patch)).To(Succeed())
		Eventually(finalizers(ctx, h, cls), h.cfg.Timeout, poll).Should(ContainElement(controller.MachineFinalizer))
		h.deleteMachine(ctx, m)
		Eventually(finalizers(ctx, h, cls), h.cfg.Timeout, poll).ShouldNot(ContainElement(controller.MachineFinalizer))
	})
})
