package kind

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestRenderMatchesGolden(t *testing.T) {
	t.Parallel()
	cases := []struct {
		golden string
		opts   Options
	}{
		{golden: "default.golden", opts: Options{}},
		{golden: "offline-node-image.golden", opts: Options{
			Name:            "conformance",
			NodeImage:       "machine-conformance.local/kind-node:v1.37.2-r1",
			NodeImageHasCNI: true,
		}},
		{golden: "extra-patches.golden", opts: Options{
			ExtraKubeadmConfigPatches: []string{"kind: ClusterConfiguration\napiServer:\n  extraArgs:\n    - name: v\n      value: \"2\"\n"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.golden, func(t *testing.T) {
			t.Parallel()
			got, err := Render(tc.opts)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			var parsed v1alpha4.Cluster
			if err := yaml.UnmarshalStrict(got, &parsed); err != nil {
				t.Errorf("kind's v1alpha4 types do not take the rendered configuration: %v", err)
			}
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./kind -run TestRenderMatchesGolden -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Render differs from %s (rerun with -update if the change is intended):\n--- got\n%s--- want\n%s", path, got, want)
			}
		})
	}
}

func TestRenderRejectsBadOptions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		opts  Options
		field string
	}{
		{name: "upper-case name", opts: Options{Name: "Conformance"}, field: "Name"},
		{name: "name ending in dash", opts: Options{Name: "conformance-"}, field: "Name"},
		{name: "name with slash", opts: Options{Name: "a/b"}, field: "Name"},
		{name: "negative wait", opts: Options{WaitForReady: -1}, field: "WaitForReady"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Render(tc.opts)
			var optsErr *OptionsError
			if !errors.As(err, &optsErr) {
				t.Fatalf("Render(%+v) error = %v, want *OptionsError", tc.opts, err)
			}
			if optsErr.Field != tc.field {
				t.Errorf("OptionsError.Field = %q, want %q (%v)", optsErr.Field, tc.field, err)
			}
		})
	}
}

func TestWithDefaults(t *testing.T) {
	t.Parallel()
	got, err := Options{KubeconfigPath: "kubeconfig"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != DefaultClusterName {
		t.Errorf("Name = %q, want %q", got.Name, DefaultClusterName)
	}
	if got.WaitForReady != DefaultWaitForReady {
		t.Errorf("WaitForReady = %v, want %v", got.WaitForReady, DefaultWaitForReady)
	}
	if !filepath.IsAbs(got.KubeconfigPath) {
		t.Errorf("KubeconfigPath = %q, want an absolute path", got.KubeconfigPath)
	}
}
