package providers

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadFixturesRejectsBadFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, body, want string
	}{
		{"bad name", "spec.yaml", "providerSpec: {}", "valid- or invalid-"},
		{"no spec", "valid-x.yaml", "secret: {}", "providerSpec: required"},
		{"unknown key", "valid-x.yaml", "providerSpec: {}\ncolour: red", "unknown field"},
		{"invalid without field", "invalid-x.yaml", "providerSpec: {a: 1}", "wantField: required"},
		{"valid with field", "valid-x.yaml", "providerSpec: {a: 1}\nwantField: a", "names no field"},
	}
	for _, tc := range tests {
		p := Provider{Name: "t", Fixtures: fstest.MapFS{tc.file: {Data: []byte(tc.body)}}}
		_, err := p.LoadFixtures()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
			t.Errorf("%s: got %v, want an error naming %s and saying %q", tc.name, err, tc.file, tc.want)
		}
	}
	p := Provider{Name: "t", SampleSecret: map[string][]byte{"k": []byte("v"), "u": []byte("w")},
		Fixtures: fstest.MapFS{"invalid-x.yaml": {Data: []byte("providerSpec: {a: 1}\nsecret: {k: ''}\nwantField: secret.k")}}}
	fs, err := p.LoadFixtures()
	if err != nil || len(fs) != 1 || string(fs[0].ProviderSpec) != `{"a":1}` || len(fs[0].Secret["k"]) != 0 || string(fs[0].Secret["u"]) != "w" {
		t.Fatalf("got %+v, %v", fs, err)
	}
}
