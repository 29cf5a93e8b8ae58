package controller

import (
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

var _ = Describe("class and secret finalizers", func() {
	It("hold class and secret while a machine references them and release them afterwards", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		cls := &v1alpha1.MachineClass{}
		sec := &corev1.Secret{}
		classKey := client.ObjectKey{Namespace: namespace, Name: "cls"}
		secretKey := client.ObjectKey{Namespace: namespace, Name: "creds"}
		finalizersOf := func(obj client.Object, key client.ObjectKey) func() []string {
			return func() []string {
				if err := k8s.Get(ctx, key, obj); err != nil {
					return []string{"<" + err.Error() + ">"}
				}
				return obj.GetFinalizers()
			}
		}

		// The secret is referenced by the class from the start.
		Eventually(finalizersOf(sec, secretKey), waitFor, poll).Should(ContainElement(SecretFinalizer))
		// The class is not referenced until a machine exists.
		Consistently(finalizersOf(cls, classKey), 300*time.Millisecond, poll).ShouldNot(ContainElement(MachineFinalizer))

		createMachine(ctx, namespace, "user")
		Eventually(finalizersOf(cls, classKey), waitFor, poll).Should(ContainElement(MachineFinalizer))

		// A referenced class cannot go away.
		Expect(k8s.Delete(ctx, cls)).To(Succeed())
		Consistently(func() error { return k8s.Get(ctx, classKey, &v1alpha1.MachineClass{}) }, 500*time.Millisecond, poll).Should(Succeed())

		m, err := getMachine(ctx, namespace, "user")()
		Expect(err).NotTo(HaveOccurred())
		Expect(k8s.Delete(ctx, m)).To(Succeed())
		Eventually(isGone(ctx, m), waitFor, poll).Should(BeTrue())
		Eventually(isGone(ctx, cls), waitFor, poll).Should(BeTrue(), "class still held after its last machine went")
		// With the class gone, nothing references the secret any more.
		Eventually(finalizersOf(sec, secretKey), waitFor, poll).ShouldNot(ContainElement(SecretFinalizer))
		Expect(k8s.Delete(ctx, sec)).To(Succeed())
		Eventually(isGone(ctx, sec), waitFor, poll).Should(BeTrue())
	})

	It("re-adds a finalizer someone stripped from a referenced class", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		createMachine(ctx, namespace, "user")
		key := client.ObjectKey{Namespace: namespace, Name: "cls"}
		cls := &v1alpha1.MachineClass{}
		Eventually(func() []string { _ = k8s.Get(ctx, key, cls); return cls.Finalizers }, waitFor, poll).Should(ContainElement(MachineFinalizer))
		patch := client.MergeFrom(cls.DeepCopy())
		cls.Finalizers = nil
		Expect(k8s.Patch(ctx, cls, patch)).To(Succeed())
		Eventually(func() []string { _ = k8s.Get(ctx, key, cls); return cls.Finalizers }, waitFor, poll).Should(ContainElement(MachineFinalizer))
	})

	It("blocks deleting a secret a class still references", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		key := client.ObjectKey{Namespace: namespace, Name: "creds"}
		sec := &corev1.Secret{}
		Eventually(func() []string { _ = k8s.Get(ctx, key, sec); return sec.Finalizers }, waitFor, poll).Should(ContainElement(SecretFinalizer))
		Expect(k8s.Delete(ctx, sec)).To(Succeed())
		Consistently(func() error { return k8s.Get(ctx, key, &corev1.Secret{}) }, 500*time.Millisecond, poll).Should(Succeed())
		cls := &v1alpha1.MachineClass{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: namespace, Name: "cls"}, cls)).To(Succeed())
		Expect(k8s.Delete(ctx, cls)).To(Succeed())
		Eventually(isGone(ctx, sec), waitFor, poll).Should(BeTrue())
	})
})
