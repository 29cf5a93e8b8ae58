package memory

import (
	"io/fs"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/machine-conformance/machine-conformance/providers"
)

type fixture struct {
	ProviderSpec map[string]any    `json:"providerSpec"`
	Secret       map[string]string `json:"secret"`
	WantField    string            `json:"wantField"`
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	p, err := providers.Get("memory")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(p.Fixtures, "*.yaml")
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data, err := fs.ReadFile(p.Fixtures, name)
			if err != nil {
				t.Fatal(err)
			}
			var f fixture
			if err := yaml.UnmarshalStrict(data, &f); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			spec, err := yaml.Marshal(f.ProviderSpec)
			if err != nil {
				t.Fatal(err)
			}
			specJSON, err := yaml.YAMLToJSON(spec)
			if err != nil {
				t.Fatal(err)
			}
			secret := map[string][]byte{}
			for k, v := range p.SampleSecret {
				secret[k] = v
			}
			for k, v := range f.Secret {
				secret[k] = []byte(v)
			}
			_, errs := DecodeSpec(specJSON, secret)
			switch {
			case strings.HasPrefix(name, "valid-"):
				if len(errs) > 0 {
					t.Fatalf("valid fixture rejected: %v", errs)
				}
			case strings.HasPrefix(name, "invalid-"):
				if f.WantField == "" {
					t.Fatalf("invalid fixture without wantField")
				}
				found := false
				for _, e := range errs {
					found = found || e.Field == f.WantField
				}
				if !found {
					t.Fatalf("want an error at %s, got %v", f.WantField, errs)
				}
			default:
				t.Fatalf("fixture names start with valid- or invalid-")
			}
		})
	}
}
