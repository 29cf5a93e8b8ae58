package crds

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDirFindsMCMCRDs(t *testing.T) {
	dir, err := Dir(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"machines", "machineclasses", "machinesets", "machinedeployments"} {
		f := filepath.Join(dir, "machine.sapcloud.io_"+kind+".yaml")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("CRD for %s: %v", kind, err)
		}
		if !strings.Contains(string(data), "kind: CustomResourceDefinition") {
			t.Errorf("%s is not a CRD", f)
		}
	}
}

func TestDirHonoursOverride(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(EnvDir, empty)
	if _, err := Dir(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty override: got %v, want ErrNotFound", err)
	}
	if err := os.WriteFile(filepath.Join(empty, "x.yaml"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if dir, err := Dir(context.Background()); err != nil || dir != empty {
		t.Fatalf("override: got %q, %v", dir, err)
	}
}
