package altaws

import (
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// TestFixtures runs every fixture through the driver's validation: valid
// ones pass, invalid ones fail with InvalidArgument naming wantField.
func TestFixtures(t *testing.T) {
	t.Parallel()
	p := Provider(nil)
	fixtures, err := p.LoadFixtures()
	if err != nil {
		t.Fatal(err)
	}
	valid, invalid := 0, 0
	for _, f := range fixtures {
		class := &v1alpha1.MachineClass{Provider: ClassProvider, ProviderSpec: runtime.RawExtension{Raw: f.ProviderSpec}}
		_, err := New(Options{}).prepare(class, &corev1.Secret{Data: f.Secret})
		code, _ := machinecode.Of(err)
		switch {
		case f.Valid:
			valid++
			if err != nil {
				t.Errorf("%s: %v", f.File, err)
			}
		default:
			invalid++
			if code != codes.InvalidArgument || !strings.Contains(machinecode.Message(err), f.WantField) {
				t.Errorf("%s: %v, want InvalidArgument naming %s", f.File, err, f.WantField)
			}
		}
	}
	if valid < 2 || invalid < 4 {
		t.Fatalf("%d valid and %d invalid fixtures, want at least 2 and 4", valid, invalid)
	}
}

func TestProviderDescription(t *testing.T) {
	t.Parallel()
	p := Provider(nil)
	if p.Name != "aws-alt" || p.MachineClassProvider() != ClassProvider || p.NewDriver == nil || p.NewSimulator != nil || p.ForeignProviderSpec == nil {
		t.Fatalf("Provider(nil) = %+v", p)
	}
	if strings.Contains(string(p.ForeignProviderSpec), `"clusterName":"`+Cluster+`"`) {
		t.Fatalf("the foreign spec is the sample cluster's: %s", p.ForeignProviderSpec)
	}
	for _, key := range []string{SecretAccessKeyID, SecretSecretAccessKey, SecretUserData} {
		if len(p.SampleSecret[key]) == 0 {
			t.Errorf("SampleSecret lacks %s", key)
		}
	}
}
