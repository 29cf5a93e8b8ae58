package altaws

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// mutate returns the sample spec of cluster "c" with change applied.
func mutate(t *testing.T, change func(map[string]any)) []byte {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal(sampleSpec("c"), &obj); err != nil {
		t.Fatal(err)
	}
	change(obj)
	raw, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestDecodeSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(map[string]any)
		want   []string // substrings of the problems; none means valid
	}{
		{"sample", func(map[string]any) {}, nil},
		{"no optional fields", func(o map[string]any) { delete(o, "availabilityZone"); delete(o, "rootVolumeGiB") }, nil},
		{"missing imageId", func(o map[string]any) { delete(o, "imageId") }, []string{"providerSpec.imageId: required"}},
		{"bad imageId", func(o map[string]any) { o["imageId"] = "image-1" }, []string{"providerSpec.imageId: \"image-1\""}},
		{"imageId a number", func(o map[string]any) { o["imageId"] = 12345 }, []string{"providerSpec.imageId: want a string, got a number 12345"}},
		{"unknown field", func(o map[string]any) { o["ami"] = "ami-0123456789abcdef0" }, []string{"providerSpec.ami: unknown field"}},
		{"field in another case", func(o map[string]any) { o["ImageId"] = o["imageId"] }, []string{"providerSpec.ImageId: unknown field"}},
		{"groups a string", func(o map[string]any) { o["securityGroupIds"] = "sg-0a1b2c3d" }, []string{"providerSpec.securityGroupIds: want a list of strings"}},
		{"no groups", func(o map[string]any) { o["securityGroupIds"] = []string{} }, []string{"providerSpec.securityGroupIds: required"}},
		{"group name", func(o map[string]any) { o["securityGroupIds"] = []string{"sg-0a1b2c3d", "default"} }, []string{"providerSpec.securityGroupIds[1]"}},
		{"bad subnet", func(o map[string]any) { o["subnetId"] = "sn-1" }, []string{"providerSpec.subnetId"}},
		{"bad region", func(o map[string]any) { o["region"] = "mars" }, []string{"providerSpec.region"}},
		{"zone of another region", func(o map[string]any) { o["availabilityZone"] = "eu-west-1a" }, []string{"providerSpec.availabilityZone"}},
		{"bad instance type", func(o map[string]any) { o["instanceType"] = "large" }, []string{"providerSpec.instanceType"}},
		{"cluster with slash", func(o map[string]any) { o["clusterName"] = "a/b" }, []string{"providerSpec.clusterName"}},
		{"no role", func(o map[string]any) { delete(o, "nodeRole") }, []string{"providerSpec.nodeRole: required"}},
		{"root volume zero", func(o map[string]any) { o["rootVolumeGiB"] = 0 }, []string{"providerSpec.rootVolumeGiB: 0 is outside 1..16384"}},
		{"root volume huge", func(o map[string]any) { o["rootVolumeGiB"] = 20000 }, []string{"providerSpec.rootVolumeGiB: 20000"}},
		{"root volume fractional", func(o map[string]any) { o["rootVolumeGiB"] = 50.5 }, []string{"providerSpec.rootVolumeGiB: want an integer"}},
		{"root volume string", func(o map[string]any) { o["rootVolumeGiB"] = "50" }, []string{"providerSpec.rootVolumeGiB: want an integer"}},
		{"several problems", func(o map[string]any) { delete(o, "imageId"); delete(o, "subnetId") },
			[]string{"providerSpec.imageId: required", "providerSpec.subnetId: required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, p := decodeSpec(mutate(t, tc.change))
			if len(tc.want) == 0 && len(p) > 0 {
				t.Fatalf("refused a valid spec: %s", p)
			}
			for _, w := range tc.want {
				if !strings.Contains(p.String(), w) {
					t.Errorf("problems %q do not contain %q", p, w)
				}
			}
		})
	}
}

func TestDecodeSpecNotAnObject(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "null", "[]", `"x"`, "{"} {
		if _, p := decodeSpec([]byte(raw)); !strings.HasPrefix(p.String(), "providerSpec: want a JSON object") {
			t.Errorf("decodeSpec(%q) = %q", raw, p)
		}
	}
}

// TestFieldsMatchTags keeps the decode table and the JSON tags in step.
func TestFieldsMatchTags(t *testing.T) {
	t.Parallel()
	var obj map[string]any
	if err := json.Unmarshal(sampleSpec("c"), &obj); err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(obj)), knownFields(); !slices.Equal(got, want) {
		t.Fatalf("JSON fields %v, decode table %v", got, want)
	}
}

func TestReadSecret(t *testing.T) {
	t.Parallel()
	full := func() map[string][]byte {
		return map[string][]byte{SecretAccessKeyID: []byte("AKIAEXAMPLEKEY"), SecretSecretAccessKey: []byte("s3cr3t-value"), SecretUserData: []byte("#cloud-config\n")}
	}
	tests := []struct {
		name string
		data func() map[string][]byte
		want string
	}{
		{"complete", full, ""},
		{"empty key ID", func() map[string][]byte { d := full(); d[SecretAccessKeyID] = nil; return d }, "secret.accessKeyID: required"},
		{"no secret key", func() map[string][]byte { d := full(); delete(d, SecretSecretAccessKey); return d }, "secret.secretAccessKey: required"},
		{"empty user data", func() map[string][]byte { d := full(); d[SecretUserData] = []byte{}; return d }, "secret.userData: required"},
		{"huge user data", func() map[string][]byte { d := full(); d[SecretUserData] = make([]byte, 17000); return d }, "secret.userData: 17000 bytes"},
		{"another driver's keys", func() map[string][]byte {
			return map[string][]byte{"providerAccessKeyId": []byte("AKIAEXAMPLEKEY"), "providerSecretAccessKey": []byte("s3cr3t-value"), "userData": []byte("x")}
		}, "secret.accessKeyID: required; secret.secretAccessKey: required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, p := readSecret(&corev1.Secret{Data: tc.data()})
			if got := p.String(); !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
				t.Fatalf("problems %q, want %q", got, tc.want)
			}
			for _, secret := range []string{"AKIAEXAMPLEKEY", "s3cr3t-value", "cloud-config"} {
				if strings.Contains(p.String(), secret) {
					t.Fatalf("problems %q reveal a secret value", p)
				}
			}
		})
	}
}

// TestPrepare checks what every call checks first, without a network.
func TestPrepare(t *testing.T) {
	t.Parallel()
	secret := &corev1.Secret{Data: map[string][]byte{SecretAccessKeyID: []byte("AKIAEXAMPLEKEY"), SecretSecretAccessKey: []byte("s3cr3t-value"), SecretUserData: []byte("#!/bin/sh")}}
	class := func(provider string, spec []byte) *v1alpha1.MachineClass {
		c := &v1alpha1.MachineClass{Provider: provider, ProviderSpec: runtime.RawExtension{Raw: spec}}
		c.Name = "workers"
		return c
	}
	tests := []struct {
		name   string
		class  *v1alpha1.MachineClass
		secret *corev1.Secret
		code   codes.Code
		want   string
	}{
		{"valid", class(ClassProvider, sampleSpec("c")), secret, codes.OK, ""},
		{"no class", nil, secret, codes.InvalidArgument, "MachineClass: required"},
		{"no secret", class(ClassProvider, sampleSpec("c")), nil, codes.InvalidArgument, "secret: required"},
		{"other provider", class("aws-alt", sampleSpec("c")), secret, codes.InvalidArgument, `MachineClass.provider: got "aws-alt", this driver serves only "AWS"`},
		{"empty provider", class("", sampleSpec("c")), secret, codes.InvalidArgument, `got ""`},
		{"bad spec and secret", class(ClassProvider, []byte(`{}`)), &corev1.Secret{}, codes.InvalidArgument, "providerSpec.imageId: required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(Options{}).prepare(tc.class, tc.secret)
			code, isStatus := machinecode.Of(err)
			if !isStatus || code != tc.code || !strings.Contains(machinecode.Message(err), tc.want) {
				t.Fatalf("prepare: %v, want %s containing %q", err, tc.code, tc.want)
			}
		})
	}
}
