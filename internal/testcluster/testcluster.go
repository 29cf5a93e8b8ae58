// Package testcluster starts the embedded control plane (a real
// kube-apiserver and etcd through controller-runtime's envtest) with the
// machine.sapcloud.io CRDs installed, finding the binaries through
// hack/envtest-assets.sh so nobody has to export a path by hand.
package testcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/internal/crds"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// Options configure Start. The zero value starts envtest with the assets from
// $KUBEBUILDER_ASSETS or hack/envtest-assets.sh and MCM's CRDs.
type Options struct {
	// AssetsDir holds kube-apiserver and etcd. Empty means $KUBEBUILDER_ASSETS,
	// else the folder hack/envtest-assets.sh prints (building it if needed).
	AssetsDir string
	// CRDDir holds the CRD YAML files. Empty means crds.Dir.
	CRDDir string
	// SkipCRDs starts a bare API server, for testing behaviour without the CRDs.
	SkipCRDs bool
	// ControllerManager also runs kube-controller-manager's namespace and
	// garbage-collector controllers, so namespaces and owned objects are
	// really deleted. It adds about a second to Start.
	ControllerManager bool
	// APIServerFlags are set on kube-apiserver's command line, replacing
	// envtest's value of a flag it sets too.
	APIServerFlags map[string][]string
	// EtcdFlags are set on etcd's command line, replacing envtest's value
	// of a flag it sets too.
	EtcdFlags map[string][]string
}

// Cluster is a running embedded control plane.
type Cluster struct {
	Config *rest.Config
	env    *envtest.Environment
	kcm    *controllerManager
}

// ErrNoAssets means the control-plane binaries could not be found or built.
var ErrNoAssets = errors.New("envtest assets unavailable")

// Start starts kube-apiserver and etcd and waits until the CRDs are served.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	assets, err := assetsDir(ctx, opts.AssetsDir)
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{BinaryAssetsDirectory: assets, ErrorIfCRDPathMissing: true}
	if !opts.SkipCRDs {
		dir := opts.CRDDir
		if dir == "" {
			if dir, err = crds.Dir(ctx); err != nil {
				return nil, err
			}
		}
		env.CRDDirectoryPaths = []string{dir}
	}
	for flag, values := range opts.APIServerFlags {
		env.ControlPlane.GetAPIServer().Configure().Set(flag, values...)
	}
	if len(opts.EtcdFlags) > 0 {
		env.ControlPlane.Etcd = &envtest.Etcd{}
		for flag, values := range opts.EtcdFlags {
			env.ControlPlane.Etcd.Configure().Set(flag, values...)
		}
	}
	cfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("starting kube-apiserver and etcd from %s: %w", assets, err)
	}
	c := &Cluster{Config: cfg, env: env}
	if opts.ControllerManager {
		if c.kcm, err = startControllerManager(env, assets); err != nil {
			return nil, errors.Join(err, env.Stop())
		}
	}
	return c, nil
}

// Stop stops the control plane and removes its data.
func (c *Cluster) Stop() error {
	var errs []error
	if c.kcm != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		errs = append(errs, c.kcm.stop(ctx))
	}
	return errors.Join(append(errs, c.env.Stop())...)
}

// AddUser returns a rest.Config for a user in the given groups, for tests of
// RBAC; pass nil groups for a user with no rights but what RBAC grants.
func (c *Cluster) AddUser(name string, groups []string) (*rest.Config, error) {
	u, err := c.env.AddUser(envtest.User{Name: name, Groups: groups}, nil)
	if err != nil {
		return nil, err
	}
	return u.Config(), nil
}

// KubeConfig returns a kubeconfig file's content for a user in the given
// groups (["system:masters"] for an administrator).
func (c *Cluster) KubeConfig(name string, groups []string) ([]byte, error) {
	u, err := c.env.AddUser(envtest.User{Name: name, Groups: groups}, nil)
	if err != nil {
		return nil, err
	}
	return u.KubeConfig()
}

// assetsDir resolves the folder of control-plane binaries.
func assetsDir(ctx context.Context, dir string) (string, error) {
	if dir == "" {
		dir = os.Getenv("KUBEBUILDER_ASSETS")
	}
	if dir != "" {
		for _, bin := range []string{"kube-apiserver", "etcd"} {
			if _, err := os.Stat(filepath.Join(dir, bin)); err != nil {
				return "", fmt.Errorf("%w: %s lacks %s", ErrNoAssets, dir, bin)
			}
		}
		return dir, nil
	}
	script, err := findScript()
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, script)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr // progress of a cold build is worth seeing
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrNoAssets, script, err)
	}
	return strings.TrimSpace(out.String()), nil
}

// findScript walks up from the working directory to hack/envtest-assets.sh.
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, "hack", "envtest-assets.sh")
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: set KUBEBUILDER_ASSETS, or run inside the machine-conformance checkout (no hack/envtest-assets.sh above the working directory)", ErrNoAssets)
		}
		dir = parent
	}
}
