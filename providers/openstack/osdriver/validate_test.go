package osdriver_test

import (
	"strings"
	"testing"

	"github.com/machine-conformance/machine-conformance/providers/openstack/osdriver"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	good := func() osdriver.ProviderSpec {
		return osdriver.ProviderSpec{FlavorName: "m1.small", ImageName: "img", NetworkID: "net",
			Tags: map[string]string{"kubernetes.io-cluster-a": "1", "kubernetes.io-role-node": "1"}}
	}
	secret := func(drop string, add map[string]string) map[string][]byte {
		s := map[string][]byte{"authURL": []byte("https://keystone.example:5000/v3"), "username": []byte("u"), "password": []byte("p"),
			"domainName": []byte("d"), "tenantName": []byte("t"), "region": []byte("r"), "userData": []byte("#!")}
		delete(s, drop)
		for k, v := range add {
			s[k] = []byte(v)
		}
		return s
	}
	for _, tc := range []struct {
		name       string
		spec       func(*osdriver.ProviderSpec)
		secret     map[string][]byte
		defaultURL string
		want       []string // fields named in the errors; none means valid
	}{
		{name: "valid", secret: secret("", nil)},
		{name: "image by ID, subnet", spec: func(s *osdriver.ProviderSpec) { s.ImageName, s.ImageID, s.NetworkID, s.SubnetID = "", "id", "", "sn" }, secret: secret("", nil)},
		{name: "no flavor", spec: func(s *osdriver.ProviderSpec) { s.FlavorName = "" }, secret: secret("", nil), want: []string{"providerSpec.flavorName"}},
		{name: "no image", spec: func(s *osdriver.ProviderSpec) { s.ImageName = "" }, secret: secret("", nil), want: []string{"providerSpec.imageName"}},
		{name: "two images", spec: func(s *osdriver.ProviderSpec) { s.ImageID = "id" }, secret: secret("", nil), want: []string{"providerSpec.imageID"}},
		{name: "no network", spec: func(s *osdriver.ProviderSpec) { s.NetworkID = "" }, secret: secret("", nil), want: []string{"providerSpec.networkID"}},
		{name: "empty group", spec: func(s *osdriver.ProviderSpec) { s.SecurityGroups = []string{"a", ""} }, secret: secret("", nil), want: []string{"providerSpec.securityGroups[1]"}},
		{name: "negative disk", spec: func(s *osdriver.ProviderSpec) { s.RootDiskSize = -1 }, secret: secret("", nil), want: []string{"providerSpec.rootDiskSize"}},
		{name: "no cluster key", spec: func(s *osdriver.ProviderSpec) { delete(s.Tags, "kubernetes.io-cluster-a") }, secret: secret("", nil), want: []string{"providerSpec.tags"}},
		{name: "bare cluster prefix", spec: func(s *osdriver.ProviderSpec) {
			s.Tags = map[string]string{"kubernetes.io-cluster-": "1", "kubernetes.io-role-node": "1"}
		}, secret: secret("", nil), want: []string{"providerSpec.tags"}},
		{name: "no role key", spec: func(s *osdriver.ProviderSpec) { delete(s.Tags, "kubernetes.io-role-node") }, secret: secret("", nil), want: []string{"providerSpec.tags"}},
		{name: "no authURL, no default", secret: secret("authURL", nil), want: []string{"secret.authURL"}},
		{name: "no authURL, default", secret: secret("authURL", nil), defaultURL: "http://sim/v3"},
		{name: "authURL not a URL", secret: secret("", map[string]string{"authURL": "keystone"}), want: []string{"secret.authURL"}},
		{name: "no password", secret: secret("password", nil), want: []string{"secret.password"}},
		{name: "no username", secret: secret("username", nil), want: []string{"secret.username"}},
		{name: "no domain", secret: secret("domainName", nil), want: []string{"secret.domainName"}},
		{name: "no tenant", secret: secret("tenantName", nil), want: []string{"secret.tenantName"}},
		{name: "no region", secret: secret("region", nil), want: []string{"secret.region"}},
		{name: "no userData", secret: secret("userData", nil), want: []string{"secret.userData"}},
		{name: "application credential by ID", secret: map[string][]byte{"authURL": []byte("http://k/v3"), "region": []byte("r"), "userData": []byte("x"),
			"applicationCredentialID": []byte("id"), "applicationCredentialSecret": []byte("s")}},
		{name: "application credential without secret", secret: map[string][]byte{"authURL": []byte("http://k/v3"), "region": []byte("r"), "userData": []byte("x"),
			"applicationCredentialID": []byte("id")}, want: []string{"secret.applicationCredentialSecret"}},
		{name: "application credential by name without user", secret: map[string][]byte{"authURL": []byte("http://k/v3"), "region": []byte("r"), "userData": []byte("x"),
			"applicationCredentialName": []byte("n"), "applicationCredentialSecret": []byte("s")}, want: []string{"secret.username", "secret.domainName"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec := good()
			if tc.spec != nil {
				tc.spec(&spec)
			}
			errs := osdriver.Validate(spec, tc.secret, tc.defaultURL)
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d errors %v, want %v", len(errs), errs, tc.want)
			}
			for i, want := range tc.want {
				if errs[i].Field != want {
					t.Errorf("error %d names %s, want %s", i, errs[i].Field, want)
				}
			}
		})
	}
}

// A field of the wrong JSON type or an unknown field is named in the error.
func TestDecodeSpecNamesTheField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ raw, want string }{
		{`{"flavorName": 5}`, "flavorName"},
		{`{"tags": "x"}`, "tags"},
		{`{"rootDiskSize": "big"}`, "rootDiskSize"},
		{`{"flavour": "m1.small"}`, "flavour"},
		{`[]`, "providerSpec"},
	} {
		_, errs := osdriver.DecodeSpec([]byte(tc.raw), nil, "")
		if len(errs) != 1 || !strings.Contains(errs.ToAggregate().Error(), tc.want) {
			t.Errorf("DecodeSpec(%s) = %v, want one error naming %s", tc.raw, errs, tc.want)
		}
	}
}

func TestServerID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{osdriver.ProviderID("r1", "abc"), "abc", true},
		{"openstack:///RegionOne/6f1c-uuid", "6f1c-uuid", true},
		{"openstack:///abc", "", false},
		{"openstack:///r/a/b", "", false},
		{"aws:///zone/i-1", "", false},
		{"", "", false},
	} {
		if got, ok := osdriver.ServerID(tc.in); got != tc.want || ok != tc.ok {
			t.Errorf("ServerID(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
