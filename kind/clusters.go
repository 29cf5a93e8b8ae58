package kind

import (
	"bytes"
	"errors"
	"slices"

	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
	"sigs.k8s.io/kind/pkg/log"
)

// renderedConfigPath is where Up keeps, on the control plane node, the
// configuration the cluster was made from, so a later Up can tell whether it
// may reuse the cluster.
const renderedConfigPath = "/kind/machine-conformance-config.yaml"

// provider is the part of kind's *cluster.Provider that Clusters uses.
type provider interface {
	List() ([]string, error)
	Create(name string, options ...cluster.CreateOption) error
	Delete(name, explicitKubeconfigPath string) error
	ExportKubeConfig(name, explicitPath string, internal bool) error
	ListInternalNodes(name string) ([]nodes.Node, error)
}

var _ provider = (*cluster.Provider)(nil)

// Clusters creates, reuses, loads images into and deletes kind clusters
// through the container engine kind detects (docker, podman or nerdctl).
type Clusters struct {
	provider provider
	logger   log.Logger
}

// New returns Clusters on the container engine kind detects, or
// ErrNoContainerEngine when there is none. The logger receives kind's
// progress; nil discards it.
func New(logger log.Logger) (*Clusters, error) {
	if logger == nil {
		logger = log.NoopLogger{}
	}
	engine, err := cluster.DetectNodeProvider()
	if err != nil {
		return nil, ErrNoContainerEngine
	}
	return &Clusters{provider: cluster.NewProvider(engine, cluster.ProviderWithLogger(logger)), logger: logger}, nil
}

// UpResult says what Up did.
type UpResult struct {
	// Name is the cluster's name.
	Name string
	// Reused is true when an existing cluster was kept, false when one was
	// created.
	Reused bool
	// Replaced names why an existing cluster of that name was deleted first;
	// empty when there was none or it was reused.
	Replaced string
}

// Up makes sure the cluster opts names exists, is made from the
// configuration Render gives for opts, and answers; it reuses an existing
// one that does, replaces one that does not, and writes the cluster's
// credentials to opts.KubeconfigPath either way.
func (c *Clusters) Up(opts Options) (UpResult, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return UpResult{}, err
	}
	config, err := render(opts)
	if err != nil {
		return UpResult{}, err
	}
	result := UpResult{Name: opts.Name}
	exists, err := c.exists(opts.Name)
	if err != nil {
		return result, err
	}
	if exists {
		result.Replaced = c.reasonNotToReuse(opts.Name, config)
		if result.Replaced == "" {
			result.Reused = true
			return result, c.exportKubeconfig(opts)
		}
		c.logger.V(0).Infof("replacing kind cluster %q: %s", opts.Name, result.Replaced)
		if err := c.provider.Delete(opts.Name, opts.KubeconfigPath); err != nil {
			return result, &OperationError{Op: OperationDelete, Cluster: opts.Name, Err: err}
		}
	}
	err = c.provider.Create(opts.Name,
		cluster.CreateWithRawConfig(config),
		cluster.CreateWithKubeconfigPath(opts.KubeconfigPath),
		cluster.CreateWithWaitForReady(opts.WaitForReady),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	)
	if err != nil {
		return result, &OperationError{Op: OperationCreate, Cluster: opts.Name, Err: err}
	}
	controlPlane, err := c.controlPlane(opts.Name)
	if err == nil {
		err = nodeutils.WriteFile(controlPlane, renderedConfigPath, string(config))
	}
	if err != nil {
		return result, &OperationError{Op: OperationCreate, Cluster: opts.Name, File: renderedConfigPath, Err: err}
	}
	return result, nil
}

// reasonNotToReuse returns why the existing cluster name may not be reused
// for config, or "" when it may.
func (c *Clusters) reasonNotToReuse(name string, config []byte) string {
	controlPlane, err := c.controlPlane(name)
	if err != nil {
		return "its control plane node is missing: " + err.Error()
	}
	var kept bytes.Buffer
	if err := controlPlane.Command("cat", renderedConfigPath).SetStdout(&kept).Run(); err != nil {
		return "its node does not answer or was not made by this package (no " + renderedConfigPath + ")"
	}
	if !bytes.Equal(kept.Bytes(), config) {
		return "it was made from another configuration"
	}
	readyz := controlPlane.Command("kubectl", "--kubeconfig=/etc/kubernetes/admin.conf", "get", "--raw=/readyz")
	if err := readyz.Run(); err != nil {
		return "its API server is not ready"
	}
	return ""
}

// Down deletes the cluster opts names and removes it from
// opts.KubeconfigPath; a cluster that does not exist is not an error.
func (c *Clusters) Down(opts Options) error {
	opts, err := opts.withDefaults()
	if err != nil {
		return err
	}
	if err := c.provider.Delete(opts.Name, opts.KubeconfigPath); err != nil {
		return &OperationError{Op: OperationDelete, Cluster: opts.Name, Err: err}
	}
	return nil
}

// ExportKubeconfig writes the credentials of the existing cluster opts
// names into opts.KubeconfigPath.
func (c *Clusters) ExportKubeconfig(opts Options) error {
	opts, err := opts.withDefaults()
	if err != nil {
		return err
	}
	exists, err := c.exists(opts.Name)
	if err != nil {
		return err
	}
	if !exists {
		return &OperationError{Op: OperationExportKubeconfig, Cluster: opts.Name, Err: ErrClusterNotFound}
	}
	return c.exportKubeconfig(opts)
}

func (c *Clusters) exportKubeconfig(opts Options) error {
	if err := c.provider.ExportKubeConfig(opts.Name, opts.KubeconfigPath, false); err != nil {
		return &OperationError{Op: OperationExportKubeconfig, Cluster: opts.Name, File: opts.KubeconfigPath, Err: err}
	}
	return nil
}

func (c *Clusters) exists(name string) (bool, error) {
	names, err := c.provider.List()
	if err != nil {
		return false, &OperationError{Op: OperationList, Cluster: name, Err: err}
	}
	return slices.Contains(names, name), nil
}

// controlPlane returns the cluster's first control plane node.
func (c *Clusters) controlPlane(name string) (nodes.Node, error) {
	all, err := c.provider.ListInternalNodes(name)
	if err != nil {
		return nil, err
	}
	controlPlanes, err := nodeutils.ControlPlaneNodes(all)
	if err != nil {
		return nil, err
	}
	if len(controlPlanes) == 0 {
		return nil, errors.New("no control plane node")
	}
	return controlPlanes[0], nil
}
