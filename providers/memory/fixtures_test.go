package memory

import (
	"testing"

	"github.com/machine-conformance/machine-conformance/providers"
)

func TestFixtures(t *testing.T) {
	t.Parallel()
	p, err := providers.Get("memory")
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := p.LoadFixtures()
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("fixtures: %v (%d)", err, len(fixtures))
	}
	for _, f := range fixtures {
		_, errs := DecodeSpec(f.ProviderSpec, f.Secret)
		if f.Valid && len(errs) > 0 {
			t.Errorf("%s: valid fixture rejected: %v", f.File, errs)
		}
		if !f.Valid && !hasField(errs, f.WantField) {
			t.Errorf("%s: want an error at %s, got %v", f.File, f.WantField, errs)
		}
	}
}
