package kind

import (
	"fmt"
	"os"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// LoadImageArchive imports the image archive at path (what `docker save`
// writes) into the containerd of every node of the cluster opts names, so
// pods can run its images without a registry.
func (c *Clusters) LoadImageArchive(opts Options, path string) error {
	opts, err := opts.withDefaults()
	if err != nil {
		return err
	}
	fail := func(err error) error {
		return &OperationError{Op: OperationLoadImageArchive, Cluster: opts.Name, File: path, Err: err}
	}
	if _, err := os.Stat(path); err != nil {
		return fail(err)
	}
	exists, err := c.exists(opts.Name)
	if err != nil {
		return err
	}
	if !exists {
		return fail(ErrClusterNotFound)
	}
	all, err := c.provider.ListInternalNodes(opts.Name)
	if err != nil {
		return fail(err)
	}
	for _, node := range all {
		if err := loadInto(node, path); err != nil {
			return fail(err)
		}
	}
	return nil
}

// loadInto streams the archive at path into one node.
func loadInto(node nodes.Node, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := nodeutils.LoadImageArchive(node, f); err != nil {
		return fmt.Errorf("node %s: %w", node.String(), err)
	}
	return nil
}
