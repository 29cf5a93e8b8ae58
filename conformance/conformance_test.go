package conformance_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
)

// TestMemoryProvider runs the suite, as a library, against the in-memory
// reference provider. It is the slow tier.
func TestMemoryProvider(t *testing.T) {
	if testing.Short() {
		t.Skip("conformance run skipped under -short")
	}
	p, err := providers.Get("memory")
	if err != nil {
		t.Fatal(err)
	}
	conformance.Test(t, conformance.Config{Provider: p})
}

func TestConfigValidateNamesTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  conformance.Config
		want string
	}{
		{"empty", conformance.Config{}, "Config.Provider.Name is empty"},
		{"no sample spec", conformance.Config{Provider: providers.Provider{Name: "x"}}, "Config.Provider.SampleProviderSpec"},
		{"negative timeout", conformance.Config{Timeout: -1}, "Config.Timeout is negative"},
		{"cluster without controller image", conformance.Config{Kubeconfig: "kind.kubeconfig"}, "Config.InCluster.ControllerImage is empty"},
		{"cluster without simulator image", conformance.Config{Kubeconfig: "k", InCluster: conformance.InCluster{ControllerImage: "c"},
			Provider: providers.Provider{Name: "sim", NewSimulator: func(context.Context) (providers.Simulator, error) { return nil, nil }}},
			"Config.InCluster.SimulatorImage is empty"},
		{"images without cluster", conformance.Config{InCluster: conformance.InCluster{ControllerImage: "c"}}, "Config.Kubeconfig is empty"},
		{"local command on a cluster", conformance.Config{Kubeconfig: "k", ControllerCommand: []string{"mc"}}, "Config.ControllerCommand starts a local process"},
	}
	for _, tc := range tests {
		err := tc.cfg.Validate()
		if !errors.Is(err, conformance.ErrInvalidConfig) {
			t.Fatalf("%s: %v does not wrap ErrInvalidConfig", tc.name, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %q does not say %q", tc.name, err, tc.want)
		}
	}
}
