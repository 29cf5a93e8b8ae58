package providers

import (
	"fmt"
	"io/fs"
	"maps"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Fixture is one providerSpec test case of a provider: a file named
// valid-*.yaml or invalid-*.yaml holding
//
//	providerSpec: {...}      # the MachineClass providerSpec
//	secret: {key: value}     # optional overrides of SampleSecret
//	wantField: spec.path     # invalid fixtures only: the field at fault
type Fixture struct {
	File         string
	Valid        bool
	ProviderSpec []byte            // JSON
	Secret       map[string][]byte // SampleSecret with the fixture's overrides
	WantField    string
}

type fixtureFile struct {
	ProviderSpec map[string]any    `json:"providerSpec"`
	Secret       map[string]string `json:"secret"`
	WantField    string            `json:"wantField"`
}

// LoadFixtures reads and checks p.Fixtures. Errors name the file.
func (p Provider) LoadFixtures() ([]Fixture, error) {
	if p.Fixtures == nil {
		return nil, nil
	}
	names, err := fs.Glob(p.Fixtures, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Fixture, 0, len(names))
	for _, name := range names {
		f, err := p.loadFixture(name)
		if err != nil {
			return nil, fmt.Errorf("provider %s fixture %s: %w", p.Name, name, err)
		}
		out = append(out, f)
	}
	return out, nil
}

func (p Provider) loadFixture(name string) (Fixture, error) {
	f := Fixture{File: name}
	switch {
	case strings.HasPrefix(name, "valid-"):
		f.Valid = true
	case strings.HasPrefix(name, "invalid-"):
	default:
		return f, fmt.Errorf("name must start with valid- or invalid-")
	}
	data, err := fs.ReadFile(p.Fixtures, name)
	if err != nil {
		return f, err
	}
	var raw fixtureFile
	if err := yaml.UnmarshalStrict(data, &raw); err != nil {
		return f, err
	}
	if raw.ProviderSpec == nil {
		return f, fmt.Errorf("providerSpec: required")
	}
	if f.ProviderSpec, err = yaml.Marshal(raw.ProviderSpec); err == nil {
		f.ProviderSpec, err = yaml.YAMLToJSON(f.ProviderSpec)
	}
	if err != nil {
		return f, err
	}
	f.Secret = maps.Clone(p.SampleSecret)
	if f.Secret == nil {
		f.Secret = map[string][]byte{}
	}
	for k, v := range raw.Secret {
		f.Secret[k] = []byte(v)
	}
	f.WantField = raw.WantField
	switch {
	case f.Valid && f.WantField != "":
		return f, fmt.Errorf("wantField: a valid fixture names no field at fault")
	case !f.Valid && f.WantField == "":
		return f, fmt.Errorf("wantField: required in an invalid fixture")
	}
	return f, nil
}
