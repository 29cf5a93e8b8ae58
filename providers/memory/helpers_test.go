package memory

import (
	"errors"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// specA is the minimal providerSpec of cluster "a".
const specA = `{"cluster":"a","size":"small"}`

func class(spec string) *v1alpha1.MachineClass {
	return &v1alpha1.MachineClass{ProviderSpec: runtime.RawExtension{Raw: []byte(spec)}}
}

func secret(token string) *corev1.Secret {
	return &corev1.Secret{Data: map[string][]byte{SecretToken: []byte(token), SecretUserData: []byte("#!")}}
}

func machine(name, providerID string) *v1alpha1.Machine {
	return &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1alpha1.MachineSpec{ProviderID: providerID}}
}

// codeOf returns the machine code of err, failing the test if err is not a
// *status.Status.
func codeOf(t *testing.T, err error) codes.Code {
	t.Helper()
	code, isStatus := machinecode.Of(err)
	if !isStatus {
		t.Fatalf("%v is not a machine status", err)
	}
	return code
}

// messageOf returns the status message of err ("" for nil).
func messageOf(t *testing.T, err error) string {
	t.Helper()
	var st *status.Status
	if err == nil || !errors.As(err, &st) {
		return ""
	}
	return st.Message()
}

func hasField(errs field.ErrorList, path string) bool {
	for _, e := range errs {
		if e.Field == path {
			return true
		}
	}
	return false
}

// mustCreate creates machine name in the cluster of spec and returns its provider ID.
func mustCreate(t *testing.T, d *Driver, name, spec string) string {
	t.Helper()
	resp, err := d.CreateMachine(t.Context(), createReq(name, spec))
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return resp.ProviderID
}
