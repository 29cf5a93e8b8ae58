package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"unicode"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// expectCode asserts that err is a machine status with one of want, and
// that a non-OK status explains itself in its message.
func expectCode(err error, call string, want ...codes.Code) {
	GinkgoHelper()
	code, isStatus := machinecode.Of(err)
	Expect(isStatus).To(BeTrue(), "%s returned %q, which is not a machine status (%s)", call, err, ruleErrorScheme)
	Expect(code).To(BeElementOf(want), "%s: code %s (%v), want one of %v", call, code, err, want)
	if err != nil {
		Expect(humanReadable(machinecode.Message(err))).To(BeTrue(),
			"%s answered %s with message %q (%s)", call, code, machinecode.Message(err), ruleMessage)
	}
}

// humanReadable says whether msg is a description a person can read: not
// empty, and holding at least one word.
func humanReadable(msg string) bool {
	letters := 0
	for _, r := range msg {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// request is the objects a driver call takes, built in memory the way
// MCM's safety sweep builds its stand-in Machine.
type request struct {
	machine *v1alpha1.Machine
	class   *v1alpha1.MachineClass
	secret  *corev1.Secret
}

func newRequest(h *harness, name string, spec json.RawMessage, secret map[string][]byte) request {
	return request{
		machine: &v1alpha1.Machine{
			ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name, UID: types.UID("uid-" + name)},
			Spec:       v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: name}},
		},
		class: &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name},
			ProviderSpec: runtime.RawExtension{Raw: spec}, Provider: h.cfg.Provider.MachineClassProvider()},
		secret: &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name}, Data: maps.Clone(secret)},
	}
}

// sampleRequest uses the provider's sample class and secret.
func sampleRequest(h *harness, name string) request {
	return newRequest(h, name, h.cfg.Provider.SampleProviderSpec, h.cfg.Provider.SampleSecret)
}

func (r request) createRequest() *driver.CreateMachineRequest {
	return &driver.CreateMachineRequest{Machine: r.machine, MachineClass: r.class, Secret: r.secret}
}

// create calls CreateMachine and tracks the VM. VMs made by direct driver
// calls back no Machine, so they are held from joining as nodes.
func (r request) create(ctx context.Context, h *harness) (*driver.CreateMachineResponse, error) {
	h.hold(r.machine.Name)
	resp, err := h.driver.CreateMachine(ctx, r.createRequest())
	if err == nil && resp != nil && resp.ProviderID != "" {
		trackVM(h, r, resp.ProviderID)
	}
	return resp, err
}

func (r request) status(ctx context.Context, h *harness) (*driver.GetMachineStatusResponse, error) {
	return h.driver.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: r.machine, MachineClass: r.class, Secret: r.secret})
}

func (r request) delete(ctx context.Context, h *harness, providerID string) error {
	m := r.machine.DeepCopy()
	m.Spec.ProviderID = providerID
	_, err := h.driver.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: m, MachineClass: r.class, Secret: r.secret})
	return err
}

func (r request) list(ctx context.Context, h *harness) (map[string]string, error) {
	resp, err := h.driver.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: r.class, Secret: r.secret})
	if err != nil {
		return nil, err
	}
	return resp.MachineList, nil
}

// trackVM makes the spec delete a VM it created when it ends; the spec's
// teardown reports a VM still alive or listed afterwards as a leak, by ID.
func trackVM(h *harness, r request, providerID string) {
	if h.spec != nil {
		h.spec.addVM(r, providerID)
	}
}

// checkProviderID applies the Kubernetes form <provider>://<provider-specific-id>.
func checkProviderID(id string) error {
	u, err := url.Parse(id)
	if err != nil || u.Scheme == "" || !strings.Contains(id, "://") || strings.TrimPrefix(id, u.Scheme+"://") == "" {
		return fmt.Errorf("ProviderID %q is not of the form <provider>://<id> that node.spec.providerID carries", id)
	}
	return nil
}
