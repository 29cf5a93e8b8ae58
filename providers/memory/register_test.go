package memory

import (
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"

	"github.com/machine-conformance/machine-conformance/providers"
)

func TestRegistered(t *testing.T) {
	t.Parallel()
	p, err := providers.Get("memory")
	if err != nil {
		t.Fatal(err)
	}
	if p.Description == "" || p.Fixtures == nil || p.NewSimulator != nil {
		t.Fatalf("provider %+v: want a description, fixtures and no simulator", p)
	}
	sample, errs := DecodeSpec(p.SampleProviderSpec, p.SampleSecret)
	if len(errs) > 0 {
		t.Fatalf("sample spec and secret rejected: %v", errs)
	}
	foreign, errs := DecodeSpec(p.ForeignProviderSpec, p.SampleSecret)
	if len(errs) > 0 || foreign.Cluster == sample.Cluster {
		t.Fatalf("foreign spec %+v (%v): want a valid spec of another cluster than %q", foreign, errs, sample.Cluster)
	}
	tests := []struct {
		name  string
		env   map[string]string
		token string
		want  codes.Code
	}{
		{"default token", nil, string(p.SampleSecret[SecretToken]), codes.OK},
		{"token from env", map[string]string{EnvToken: "other"}, "other", codes.OK},
		{"env replaces the default", map[string]string{EnvToken: "other"}, DefaultToken, codes.Unauthenticated},
	}
	for _, tc := range tests {
		d, err := p.NewDriver(t.Context(), tc.env)
		if err != nil {
			t.Fatalf("%s: NewDriver: %v", tc.name, err)
		}
		sec := &corev1.Secret{Data: map[string][]byte{SecretToken: []byte(tc.token), SecretUserData: p.SampleSecret[SecretUserData]}}
		_, err = d.CreateMachine(t.Context(), &driver.CreateMachineRequest{
			Machine: machine("m", ""), MachineClass: class(string(p.SampleProviderSpec)), Secret: sec})
		if got := codeOf(t, err); got != tc.want {
			t.Errorf("%s: code %s, want %s (%v)", tc.name, got, tc.want, err)
		}
	}
}
