package controller

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/internal/testcluster"
)

var _ = Describe("safety sweep", func() {
	It("looks listed VMs up by machine name: deletes orphans and misnamed VMs, spares in-flight machines", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		carried, _ := runningMachine(ctx, namespace, "carried")
		orphan := cloud.addVM(namespace, "ghost")
		// Listed under the name of a Running machine that carries another
		// VM: MCM deletes it, so we do.
		misnamed := cloud.addVM(namespace, "carried")

		// A machine still in flight: it exists, has no provider ID yet, and
		// its VM is already listed (its class is missing, so it waits).
		Expect(k8s.Create(ctx, &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "inflight"},
			Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "not-yet"}}})).To(Succeed())
		Eventually(lastOperationOf(ctx, namespace, "inflight"), waitFor, poll).Should(ContainSubstring("not-yet"))
		Expect(phaseOf(ctx, namespace, "inflight")()).To(BeEmpty(), "a machine waiting for its class has a phase; MCM leaves it without one")
		inflight := cloud.addVM(namespace, "inflight")

		report, err := ctrlr.SafetySweep.Sweep(ctx)
		Expect(err).NotTo(HaveOccurred())
		Expect(providerIDs(report.Deleted)).To(ContainElements(orphan, misnamed))
		Expect(providerIDs(report.Deleted)).NotTo(ContainElements(carried, inflight))
		Expect(providerIDs(report.Spared)).To(ContainElement(inflight))
		Expect(cloud.has(orphan)).To(BeFalse(), "orphan VM not deleted")
		Expect(cloud.has(misnamed)).To(BeFalse(), "a VM listed under a machine that carries another VM was kept")
		Expect(cloud.has(carried)).To(BeTrue(), "a machine's VM was deleted")
		Expect(cloud.has(inflight)).To(BeTrue(), "an in-flight machine's VM was deleted")
	})
})

func providerIDs(vms []OrphanVM) []string {
	ids := make([]string, 0, len(vms))
	for _, vm := range vms {
		ids = append(ids, vm.ProviderID)
	}
	return ids
}

var _ = Describe("without the CRDs", func() {
	It("starts no machine controllers and reports no served kinds", func(ctx SpecContext) {
		bare, err := testcluster.Start(ctx, testcluster.Options{SkipCRDs: true})
		Expect(err).NotTo(HaveOccurred())
		DeferCleanup(bare.Stop)
		scheme := runtime.NewScheme()
		Expect(AddToScheme(scheme)).To(Succeed())
		mgr, err := ctrl.NewManager(bare.Config, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
		Expect(err).NotTo(HaveOccurred())
		c, err := Setup(context.Background(), mgr, Options{Driver: newMemCloud()})
		Expect(err).NotTo(HaveOccurred())
		Expect(c.Served).To(BeEmpty())
		Expect(c.SafetySweep).To(BeNil())
	})
})
