// Package crds finds the machine.sapcloud.io CRDs that ship inside the
// machine-controller-manager module this binary was built against, so they
// are loaded from MCM itself and never copied into this repository.
package crds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	// Linked so that linkedVersion always finds the module in build info.
	_ "github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
)

// Module is the Go module that holds the CRDs.
const Module = "github.com/gardener/machine-controller-manager"

// subdir is where the CRDs live inside Module.
const subdir = "kubernetes/crds"

// EnvDir overrides the lookup with a folder of CRD YAML files.
const EnvDir = "MACHINE_CRDS_DIR"

// ErrNotFound means no copy of the CRDs could be found or downloaded.
var ErrNotFound = errors.New("machine.sapcloud.io CRDs not found")

// Dir returns a folder holding the machine.sapcloud.io CRD YAML files: the
// folder named by $MACHINE_CRDS_DIR if set, else kubernetes/crds of the MCM
// module version linked into this binary, from the Go module cache,
// downloading the module with `go mod download` when it is not there yet.
func Dir(ctx context.Context) (string, error) {
	if dir := os.Getenv(EnvDir); dir != "" {
		if err := hasYAML(dir); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvDir, dir, err)
		}
		return dir, nil
	}
	version, err := linkedVersion()
	if err != nil {
		// Test binaries carry no dependency list; inside our module, ask go.
		v, lerr := listedVersion(ctx)
		if lerr != nil {
			return "", errors.Join(err, lerr)
		}
		version = v
	}
	if cache := moduleCache(ctx); cache != "" {
		dir := filepath.Join(cache, Module+"@"+version, subdir)
		if hasYAML(dir) == nil {
			return dir, nil
		}
	}
	modDir, err := download(ctx, version)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(modDir, subdir)
	if err := hasYAML(dir); err != nil {
		return "", err
	}
	return dir, nil
}

// linkedVersion reads the MCM version from this binary's build information.
func linkedVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", fmt.Errorf("%w: binary has no build information; set %s", ErrNotFound, EnvDir)
	}
	for _, dep := range info.Deps {
		if dep.Path == Module {
			if dep.Replace != nil {
				dep = dep.Replace
			}
			return dep.Version, nil
		}
	}
	return "", fmt.Errorf("%w: %s is not linked into this binary; set %s", ErrNotFound, Module, EnvDir)
}

// listedVersion asks `go list -m` in the working directory for the version
// of Module that the enclosing module requires.
func listedVersion(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Version}}", Module).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w", Module, err)
	}
	return strings.TrimSpace(string(out)), nil
}

func moduleCache(ctx context.Context) string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	out, err := exec.CommandContext(ctx, "go", "env", "GOMODCACHE").Output()
	if err == nil {
		return strings.TrimSpace(string(out))
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

func download(ctx context.Context, version string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", Module+"@"+version)
	cmd.Dir = os.TempDir() // outside any module, so no go.mod is touched
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%w: go mod download %s@%s: %v: %s (set %s to a folder of CRD YAML to skip this)",
			ErrNotFound, Module, version, err, strings.TrimSpace(stderr.String()), EnvDir)
	}
	var res struct{ Dir, Error string }
	if err := json.Unmarshal(out, &res); err != nil || res.Dir == "" {
		return "", fmt.Errorf("%w: go mod download %s@%s gave no folder: %s %s", ErrNotFound, Module, version, res.Error, err)
	}
	return res.Dir, nil
}

func hasYAML(dir string) error {
	matches, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(matches) == 0 {
		return fmt.Errorf("%w in %s", ErrNotFound, dir)
	}
	return nil
}
