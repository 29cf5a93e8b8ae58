package conformance

import (
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/providers"
)

var _ = describeGroup("lifecycle", func(env func() *harness) {
	It("replaces a machine whose node stays unhealthy past the health timeout, through its MachineSet [MUST]", func(ctx SpecContext) {
		h := env()
		h.referenceOnly("MachineSets are reconciled by machine-controller-manager itself, not by the provider's machine controller")
		enforce(ruleLifecycle)
		enforce(ruleCreateResponse)
		_, _, err := h.newClass(ctx, "lc-set")
		Expect(err).NotTo(HaveOccurred())
		labels := map[string]string{"conformance-set": "lc-set"}
		ms := &v1alpha1.MachineSet{
			ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: "lc-set"},
			Spec: v1alpha1.MachineSetSpec{Replicas: 1, Selector: &metav1.LabelSelector{MatchLabels: labels},
				MachineClass: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "lc-set"},
				Template: v1alpha1.MachineTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
					Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "lc-set"}}}},
		}
		Expect(h.admin.Create(ctx, ms)).To(Succeed())
		h.spec.addMachineSet(ms)
		victim := *h.waitForSetMachine(ctx, labels, "")

		By("making the victim's node unhealthy")
		if chaos, ok := h.simulator.(providers.Chaos); ok {
			Expect(chaos.Kill(victim.Spec.ProviderID)).To(Succeed())
		} else {
			node := &corev1.Node{}
			Expect(h.admin.Get(ctx, client.ObjectKey{Name: victim.Labels[controller.NodeLabel]}, node)).To(Succeed())
			node.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionFalse, LastHeartbeatTime: metav1.Now()}}
			Expect(h.admin.Status().Update(ctx, node)).To(Succeed())
		}
		h.waitForPhase(ctx, victim.Name, v1alpha1.MachineUnknown)
		h.passHealthTimeout()

		By("the MachineSet deleting the failed machine and creating a Running replacement")
		Eventually(h.gone(ctx, &victim), h.cfg.Timeout, poll).Should(BeTrue(), "the Failed machine was not replaced")
		h.waitForSetMachine(ctx, labels, victim.Name)

		By("scaling to zero and deleting the MachineSet")
		Expect(h.admin.Get(ctx, client.ObjectKeyFromObject(ms), ms)).To(Succeed())
		patch := client.MergeFrom(ms.DeepCopy())
		ms.Spec.Replicas = 0
		Expect(h.admin.Patch(ctx, ms, patch)).To(Succeed())
		Eventually(func() int {
			list := &v1alpha1.MachineList{}
			Expect(h.admin.List(ctx, list, client.InNamespace(h.namespace), client.MatchingLabels(labels))).To(Succeed())
			return len(list.Items)
		}, h.cfg.Timeout, poll).Should(BeZero(), "machines left after scaling to zero")
		Expect(h.admin.Delete(ctx, ms)).To(Succeed())
	})

	It("picks up a machine again when its missing class appears [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleLifecycle)
		enforce(ruleCreateResponse)
		m := h.createMachine(ctx, "lc-late", "lc-late")
		h.waitUntilWaitingForClass(ctx, m.Name, "lc-late")
		_, _, err := h.newClass(ctx, "lc-late")
		Expect(err).NotTo(HaveOccurred())
		h.waitForPhase(ctx, m.Name, v1alpha1.MachineRunning)
	})
})
