package conformance_test

import (
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
