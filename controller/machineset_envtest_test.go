package controller

import (
	"context"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

var _ = Describe("MachineSet", func() {
	It("keeps replicas and replaces a Failed machine, deleting its VM", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		labels := map[string]string{"pool": "a"}
		ms := &v1alpha1.MachineSet{
			ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "pool-a"},
			Spec: v1alpha1.MachineSetSpec{
				Replicas:     2,
				Selector:     &metav1.LabelSelector{MatchLabels: labels},
				MachineClass: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"},
				Template: v1alpha1.MachineTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: labels},
					Spec:       v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"}},
				},
			},
		}
		Expect(k8s.Create(ctx, ms)).To(Succeed())
		owned := func() []v1alpha1.Machine {
			list := &v1alpha1.MachineList{}
			Expect(k8s.List(ctx, list, client.InNamespace(namespace), client.MatchingLabels(labels))).To(Succeed())
			var alive []v1alpha1.Machine
			for _, m := range list.Items {
				if m.DeletionTimestamp.IsZero() && m.Spec.ProviderID != "" {
					alive = append(alive, m)
				}
			}
			return alive
		}
		Eventually(owned, waitFor, poll).Should(HaveLen(2))
		Consistently(func() int {
			list := &v1alpha1.MachineList{}
			_ = k8s.List(ctx, list, client.InNamespace(namespace))
			return len(list.Items)
		}, "300ms", poll).Should(Equal(2), "MachineSet created more machines than replicas")

		// Both nodes join: the set reports two ready replicas.
		for _, m := range owned() {
			registerNode(ctx, m.Labels[NodeLabel], m.Spec.ProviderID, corev1.ConditionTrue)
		}
		Eventually(func() int32 {
			_ = k8s.Get(ctx, client.ObjectKeyFromObject(ms), ms)
			return ms.Status.ReadyReplicas
		}, waitFor, poll).Should(Equal(int32(2)))

		// One machine fails: the set deletes it (and its VM) and creates a replacement.
		victim := owned()[0]
		patch := client.MergeFrom(victim.DeepCopy())
		victim.Status.CurrentStatus.Phase = v1alpha1.MachineFailed
		Expect(k8s.Status().Patch(ctx, &victim, patch)).To(Succeed())
		Eventually(isGone(ctx, &victim), waitFor, poll).Should(BeTrue())
		Expect(cloud.has(victim.Spec.ProviderID)).To(BeFalse(), "the failed machine's VM leaked")
		Eventually(func() []string {
			var names []string
			for _, m := range owned() {
				names = append(names, m.Name)
			}
			return names
		}, waitFor, poll).Should(And(HaveLen(2), Not(ContainElement(victim.Name))))
	})
})

// MCM's bound for the quota scenario, derived from its code (see the
// README): per slot, creates at 0, 10 and 20 minutes (ResourceExhausted
// waits 10 minutes in CrashLoopBackOff), the one at 30 minutes turns the
// machine Failed after the 20-minute creation timeout, and the replacement
// tries once: 5 calls per slot in 30 minutes.
const quotaScenarioBound = 3 * 5

var _ = Describe("MachineSet under a quota", func() {
	It("makes no more CreateMachine calls than MCM in 30 minutes of ResourceExhausted, deletes no stranger's VM, and recovers", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		bystander := cloud.addVM("another-cluster", "bystander")
		cloud.exhaust(namespace, true)
		labels := map[string]string{"pool": "quota"}
		ms := &v1alpha1.MachineSet{
			ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "quota"},
			Spec: v1alpha1.MachineSetSpec{Replicas: 3, Selector: &metav1.LabelSelector{MatchLabels: labels},
				MachineClass: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"},
				Template: v1alpha1.MachineTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
					Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"}}}},
		}
		Expect(k8s.Create(ctx, ms)).To(Succeed())
		phases := func() []v1alpha1.MachinePhase {
			list := &v1alpha1.MachineList{}
			Expect(k8s.List(ctx, list, client.InNamespace(namespace), client.MatchingLabels(labels))).To(Succeed())
			var out []v1alpha1.MachinePhase
			for _, m := range list.Items {
				if m.DeletionTimestamp.IsZero() {
					out = append(out, m.Status.CurrentStatus.Phase)
				}
			}
			return out
		}
		Eventually(phases, waitFor, poll).Should(ConsistOf(v1alpha1.MachineCrashLoopBackOff, v1alpha1.MachineCrashLoopBackOff, v1alpha1.MachineCrashLoopBackOff))

		By("30 simulated minutes of ResourceExhausted, in 30 s steps")
		for range 60 {
			fakeTime.Step(30 * time.Second)
			time.Sleep(3 * poll) // the controller looks again within PollInterval
		}
		calls := cloud.createCalls(namespace)
		GinkgoWriter.Printf("quota scenario: %d CreateMachine calls in 30 simulated minutes (MCM's bound %d)\n", calls, quotaScenarioBound)
		AddReportEntry("CreateMachine calls in 30 minutes of ResourceExhausted", calls)
		Expect(calls).To(BeNumerically("<=", quotaScenarioBound), "more CreateMachine calls than MCM would make")
		Expect(calls).To(BeNumerically(">=", 9), "the CrashLoopBackOff machines were not retried every 10 minutes")
		Expect(cloud.has(bystander)).To(BeTrue(), "another cluster's VM was deleted")

		By("lifting the quota: the machines get VMs at their next retry and go Running")
		cloud.exhaust(namespace, false)
		fakeTime.Step(DefaultResourceExhaustedRetry)
		Eventually(func() int {
			list := &v1alpha1.MachineList{}
			Expect(k8s.List(ctx, list, client.InNamespace(namespace), client.MatchingLabels(labels))).To(Succeed())
			for _, m := range list.Items {
				if m.Spec.ProviderID != "" && m.DeletionTimestamp.IsZero() && !nodeExists(ctx, m.Labels[NodeLabel]) {
					registerNode(ctx, m.Labels[NodeLabel], m.Spec.ProviderID, corev1.ConditionTrue)
				}
			}
			running := 0
			for _, p := range phases() {
				if p == v1alpha1.MachineRunning {
					running++
				}
			}
			return running
		}, waitFor, poll).Should(Equal(3))
		Expect(cloud.deleted).NotTo(ContainElement(bystander))
	})
})

func nodeExists(ctx context.Context, name string) bool {
	return k8s.Get(ctx, client.ObjectKey{Name: name}, &corev1.Node{}) == nil
}
