package controller

import (
	"context"
	"strings"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientretry "k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

const (
	waitFor = 20 * time.Second
	poll    = 50 * time.Millisecond
)

// newNamespace gives each spec a namespace of its own, with a MachineClass
// "cls" and its secret "creds".
func newNamespace(ctx context.Context) string {
	nsObj := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "spec-"}}
	Expect(k8s.Create(ctx, nsObj)).To(Succeed())
	Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: nsObj.Name, Name: "creds"},
		Data: map[string][]byte{"token": []byte("t")}})).To(Succeed())
	Expect(k8s.Create(ctx, &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Namespace: nsObj.Name, Name: "cls"},
		ProviderSpec: runtime.RawExtension{Raw: []byte(`{"cluster":"test"}`)},
		SecretRef:    &corev1.SecretReference{Name: "creds", Namespace: nsObj.Name}})).To(Succeed())
	return nsObj.Name
}

func createMachine(ctx context.Context, namespace, name string) {
	m := &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"}}}
	Expect(k8s.Create(ctx, m)).To(Succeed())
}

func getMachine(ctx context.Context, namespace, name string) func() (*v1alpha1.Machine, error) {
	return func() (*v1alpha1.Machine, error) {
		m := &v1alpha1.Machine{}
		return m, k8s.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, m)
	}
}

func phaseOf(ctx context.Context, namespace, name string) func() v1alpha1.MachinePhase {
	return func() v1alpha1.MachinePhase {
		m, err := getMachine(ctx, namespace, name)()
		if err != nil {
			return ""
		}
		return m.Status.CurrentStatus.Phase
	}
}

func lastOperationOf(ctx context.Context, namespace, name string) func() string {
	return func() string {
		m, err := getMachine(ctx, namespace, name)()
		if err != nil {
			return ""
		}
		return m.Status.LastOperation.Description
	}
}

// registerNode plays the kubelet: a Node carrying providerID with the given Ready status.
func registerNode(ctx context.Context, name, providerID string, ready corev1.ConditionStatus) *corev1.Node {
	node := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.NodeSpec{ProviderID: providerID}}
	Expect(k8s.Create(ctx, node)).To(Succeed())
	setNodeReady(ctx, node, ready)
	return node
}

func setNodeReady(ctx context.Context, node *corev1.Node, ready corev1.ConditionStatus) {
	// The controller adds its finalizer concurrently: retry on conflict.
	Expect(clientretry.RetryOnConflict(clientretry.DefaultRetry, func() error {
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(node), node); err != nil {
			return err
		}
		node.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: ready, LastHeartbeatTime: metav1.Now()}}
		return k8s.Status().Update(ctx, node)
	})).To(Succeed())
}

func isGone(ctx context.Context, obj client.Object) func() bool {
	return func() bool {
		return apierrors.IsNotFound(k8s.Get(ctx, client.ObjectKeyFromObject(obj), obj))
	}
}

// runningMachine creates a machine and takes it to Running; it returns the provider ID.
func runningMachine(ctx context.Context, namespace, name string) (string, *corev1.Node) {
	createMachine(ctx, namespace, name)
	var providerID, nodeName string
	Eventually(func() string {
		m, _ := getMachine(ctx, namespace, name)()
		providerID, nodeName = m.Spec.ProviderID, m.Labels[NodeLabel]
		return providerID
	}, waitFor, poll).ShouldNot(BeEmpty())
	Eventually(phaseOf(ctx, namespace, name), waitFor, poll).Should(Equal(v1alpha1.MachinePending)) // written after the provider ID
	Expect(nodeName).To(Equal(namespace+"-"+name), "node label must hold the driver's NodeName")
	node := registerNode(ctx, nodeName, providerID, corev1.ConditionTrue)
	Eventually(phaseOf(ctx, namespace, name), waitFor, poll).Should(Equal(v1alpha1.MachineRunning))
	return providerID, node
}

var _ = Describe("machine lifecycle", func() {
	It("creates the VM, goes Running when the node is Ready, and deletes VM and node", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		providerID, node := runningMachine(ctx, namespace, "m1")
		Expect(cloud.has(providerID)).To(BeTrue())
		m, err := getMachine(ctx, namespace, "m1")()
		Expect(err).NotTo(HaveOccurred())
		Expect(m.Labels).To(HaveKeyWithValue(NodeLabel, node.Name))
		Expect(m.Finalizers).To(ContainElement(MachineFinalizer))

		Expect(k8s.Delete(ctx, m)).To(Succeed())
		Eventually(isGone(ctx, m), waitFor, poll).Should(BeTrue())
		Expect(cloud.has(providerID)).To(BeFalse(), "VM leaked")
		Eventually(isGone(ctx, node), waitFor, poll).Should(BeTrue(), "node not deleted")
	})

	It("fails a machine whose node never becomes Ready within the creation timeout", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		createMachine(ctx, namespace, "slow")
		Eventually(func() string { m, _ := getMachine(ctx, namespace, "slow")(); return m.Spec.ProviderID }, waitFor, poll).ShouldNot(BeEmpty())
		Eventually(phaseOf(ctx, namespace, "slow"), waitFor, poll).Should(Equal(v1alpha1.MachinePending))
		Consistently(phaseOf(ctx, namespace, "slow"), 300*time.Millisecond, poll).Should(Equal(v1alpha1.MachinePending))
		fakeTime.Step(DefaultCreationTimeout + time.Second)
		Eventually(phaseOf(ctx, namespace, "slow"), waitFor, poll).Should(Equal(v1alpha1.MachineFailed))
		m, _ := getMachine(ctx, namespace, "slow")()
		Expect(m.Status.LastOperation.Description).To(ContainSubstring("creation timeout"))
	})

	It("moves an unhealthy machine to Unknown, then Failed after the health timeout", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		_, node := runningMachine(ctx, namespace, "sick")
		setNodeReady(ctx, node, corev1.ConditionFalse)
		Eventually(phaseOf(ctx, namespace, "sick"), waitFor, poll).Should(Equal(v1alpha1.MachineUnknown))
		fakeTime.Step(DefaultHealthTimeout + time.Second)
		Eventually(phaseOf(ctx, namespace, "sick"), waitFor, poll).Should(Equal(v1alpha1.MachineFailed))
	})

	DescribeTable("CreateMachine errors: CrashLoopBackOff, and another attempt once the code's retry period has passed",
		func(ctx SpecContext, code codes.Code, period time.Duration) {
			namespace := newNamespace(ctx)
			name := "err-" + strings.ToLower(code.String())
			cloud.failNext(opCreate, name, status.Error(code, "scripted "+code.String()))
			createMachine(ctx, namespace, name)
			Eventually(phaseOf(ctx, namespace, name), waitFor, poll).Should(Equal(v1alpha1.MachineCrashLoopBackOff))
			m, _ := getMachine(ctx, namespace, name)()
			Expect(m.Status.LastOperation.Description).To(ContainSubstring("scripted " + code.String()))
			Expect(m.Status.LastOperation.ErrorCode).To(Equal(code.String()))
			providerID := func() string { m, _ := getMachine(ctx, namespace, name)(); return m.Spec.ProviderID }
			Consistently(providerID, 300*time.Millisecond, poll).Should(BeEmpty(), "retried before %s passed", period)
			fakeTime.Step(period)
			Eventually(providerID, waitFor, poll).ShouldNot(BeEmpty(), "not retried after %s", period)
			Eventually(phaseOf(ctx, namespace, name), waitFor, poll).Should(Equal(v1alpha1.MachinePending))
		},
		Entry("Unknown: ShortRetry", codes.Unknown, DefaultShortRetry),
		Entry("DeadlineExceeded: ShortRetry", codes.DeadlineExceeded, DefaultShortRetry),
		Entry("Aborted: ShortRetry", codes.Aborted, DefaultShortRetry),
		Entry("Unavailable: ShortRetry", codes.Unavailable, DefaultShortRetry),
		Entry("ResourceExhausted: the resource-exhausted retry", codes.ResourceExhausted, DefaultResourceExhaustedRetry),
		Entry("InvalidArgument: MediumRetry", codes.InvalidArgument, DefaultMediumRetry),
		Entry("PermissionDenied: MediumRetry", codes.PermissionDenied, DefaultMediumRetry),
		Entry("OutOfRange: MediumRetry", codes.OutOfRange, DefaultMediumRetry),
		Entry("Internal: MediumRetry", codes.Internal, DefaultMediumRetry),
		Entry("Unauthenticated: MediumRetry", codes.Unauthenticated, DefaultMediumRetry),
	)

	It("retries a throttled DeleteMachine and keeps the finalizer until it succeeds", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		providerID, _ := runningMachine(ctx, namespace, "d1")
		cloud.failNext(opDelete, "d1", status.Error(codes.Unavailable, "throttled"), status.Error(codes.Unavailable, "throttled"))
		m, _ := getMachine(ctx, namespace, "d1")()
		Expect(k8s.Delete(ctx, m)).To(Succeed())
		Eventually(isGone(ctx, m), waitFor, poll).Should(BeTrue())
		Expect(cloud.has(providerID)).To(BeFalse())
	})

	It("keeps a machine whose DeleteMachine is Unauthenticated until the secret is fixed", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		providerID, _ := runningMachine(ctx, namespace, "d2")
		cloud.failNext(opDelete, "d2", status.Error(codes.Unauthenticated, "bad key"))
		m, _ := getMachine(ctx, namespace, "d2")()
		Expect(k8s.Delete(ctx, m)).To(Succeed())
		Eventually(func() v1alpha1.MachineState {
			m, _ := getMachine(ctx, namespace, "d2")()
			return m.Status.LastOperation.State
		},
			waitFor, poll).Should(Equal(v1alpha1.MachineStateFailed))
		Consistently(isGone(ctx, m), 300*time.Millisecond, poll).Should(BeFalse())
		Expect(cloud.has(providerID)).To(BeTrue())

		// "Fix the provider credentials": a secret change requeues the machine.
		sec := &corev1.Secret{}
		Expect(k8s.Get(ctx, client.ObjectKey{Namespace: namespace, Name: "creds"}, sec)).To(Succeed())
		sec.Data["token"] = []byte("fixed")
		Expect(k8s.Update(ctx, sec)).To(Succeed())
		Eventually(isGone(ctx, m), waitFor, poll).Should(BeTrue())
		Expect(cloud.has(providerID)).To(BeFalse())
	})

	It("waits for a missing secret and proceeds once it appears", func(ctx SpecContext) {
		namespace := newNamespace(ctx)
		Expect(k8s.Create(ctx, &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "late"},
			ProviderSpec: runtime.RawExtension{Raw: []byte(`{}`)},
			SecretRef:    &corev1.SecretReference{Name: "late-creds", Namespace: namespace}})).To(Succeed())
		m := &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "w1"},
			Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "late"}}}
		Expect(k8s.Create(ctx, m)).To(Succeed())
		Eventually(func() string { m, _ := getMachine(ctx, namespace, "w1")(); return m.Status.LastOperation.Description },
			waitFor, poll).Should(ContainSubstring("late-creds"))
		Expect(k8s.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "late-creds"},
			Data: map[string][]byte{"token": []byte("t")}})).To(Succeed())
		Eventually(func() string { m, _ := getMachine(ctx, namespace, "w1")(); return m.Spec.ProviderID }, waitFor, poll).ShouldNot(BeEmpty())
	})
})
