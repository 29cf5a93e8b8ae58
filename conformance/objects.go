package conformance

import (
	"context"
	"fmt"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/providers"
)

const poll = 100 * time.Millisecond

// createMachine creates a Machine of class in the run's namespace.
func (h *harness) createMachine(ctx context.Context, name, class string) *v1alpha1.Machine {
	GinkgoHelper()
	m := &v1alpha1.Machine{
		ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name},
		Spec:       v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: class}},
	}
	Expect(h.admin.Create(ctx, m)).To(Succeed())
	if h.spec != nil {
		h.spec.addMachine(m)
	}
	return m
}

// machine reads a Machine of the run's namespace.
func (h *harness) machine(ctx context.Context, name string) (*v1alpha1.Machine, error) {
	m := &v1alpha1.Machine{}
	return m, h.admin.Get(ctx, client.ObjectKey{Namespace: h.namespace, Name: name}, m)
}

// gone polls whether obj no longer exists.
func (h *harness) gone(ctx context.Context, obj client.Object) func() bool {
	return func() bool {
		return apierrors.IsNotFound(h.admin.Get(ctx, client.ObjectKeyFromObject(obj), obj.DeepCopyObject().(client.Object)))
	}
}

// runningMachine creates a class and a Machine of it and waits for Running.
func (h *harness) runningMachine(ctx context.Context, name string) *v1alpha1.Machine {
	GinkgoHelper()
	_, _, err := h.newClass(ctx, name)
	Expect(err).NotTo(HaveOccurred())
	h.createMachine(ctx, name, name)
	return h.waitForPhase(ctx, name, v1alpha1.MachineRunning)
}

// deleteMachine deletes a Machine and waits until its finalizer is released.
func (h *harness) deleteMachine(ctx context.Context, m *v1alpha1.Machine) {
	GinkgoHelper()
	Expect(client.IgnoreNotFound(h.admin.Delete(ctx, m))).To(Succeed())
	if !h.waitGone(ctx, m) {
		cur, _ := h.machine(ctx, m.Name)
		Fail(fmt.Sprintf("machine %s stuck in deletion with finalizers %v: %s", m.Name, cur.Finalizers, h.explain(ctx, cur)))
	}
}

// chaos returns the simulator's chaos controls, or skips the spec.
func (h *harness) chaos() providers.Chaos {
	GinkgoHelper()
	c, ok := h.simulator.(providers.Chaos)
	if !ok {
		Skip("the provider's simulator offers no chaos controls (providers.Chaos)")
	}
	return c
}

// classAndSecret reads a class of the run's namespace and its secretRef.
func classAndSecret(ctx context.Context, h *harness, className string) (*v1alpha1.MachineClass, *corev1.Secret) {
	GinkgoHelper()
	cls := &v1alpha1.MachineClass{}
	Expect(h.admin.Get(ctx, client.ObjectKey{Namespace: h.namespace, Name: className}, cls)).To(Succeed())
	sec := &corev1.Secret{}
	Expect(h.admin.Get(ctx, client.ObjectKey{Namespace: cls.SecretRef.Namespace, Name: cls.SecretRef.Name}, sec)).To(Succeed())
	return cls, sec
}

// listVMs calls ListMachines for a class of the run's namespace.
func listVMs(ctx context.Context, h *harness, className string) map[string]string {
	GinkgoHelper()
	cls, sec := classAndSecret(ctx, h, className)
	resp, err := h.driver.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: cls, Secret: sec})
	expectCode(err, "ListMachines", codes.OK, codes.Unimplemented)
	if err != nil {
		return nil // nothing to judge by: callers find no VM listed
	}
	return resp.MachineList
}
