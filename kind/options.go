package kind

import (
	"fmt"
	"path/filepath"
	"regexp"
	"time"
)

// DefaultClusterName is the cluster name Options.Name defaults to.
const DefaultClusterName = "machine-conformance"

// DefaultWaitForReady is how long Up waits for the control plane to become
// Ready when Options.WaitForReady is zero.
const DefaultWaitForReady = 3 * time.Minute

// PodSubnet is the clusters' pod network. The offline node image's CNI
// configuration (hack/kind-node/10-machine-conformance-bridge.conflist)
// hands out addresses from the same range: change both together.
const PodSubnet = "10.244.0.0/16"

// Options say which cluster to work on and how to make it. The zero value
// is usable: cluster DefaultClusterName from kind's default node image,
// kubeconfig in kind's default place.
type Options struct {
	// Name of the cluster; empty means DefaultClusterName. kind prefixes its
	// node containers with it.
	Name string
	// NodeImage is the node image to create the cluster from; empty means
	// kind's default image, which needs a registry.
	NodeImage string
	// NodeImageHasCNI says the node image brings its own CNI configuration
	// (the offline image of hack/kind-node-image.sh does), so kind installs
	// none (disableDefaultCNI).
	NodeImageHasCNI bool
	// KubeconfigPath is the file Up and ExportKubeconfig write the cluster's
	// credentials into; empty means kind's default ($KUBECONFIG, else
	// ~/.kube/config). Relative paths are taken from the working directory.
	KubeconfigPath string
	// ExtraKubeadmConfigPatches are added after ours, in order; each is a
	// YAML document kind merges into kubeadm's configuration.
	ExtraKubeadmConfigPatches []string
	// WaitForReady is how long Up waits for the control plane to be Ready;
	// zero means DefaultWaitForReady.
	WaitForReady time.Duration
}

// clusterNamePattern is the names kind accepts for a cluster (they become
// container names and host names).
var clusterNamePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`)

// withDefaults returns the options with every documented default filled in,
// or an *OptionsError naming the first field that is wrong.
func (o Options) withDefaults() (Options, error) {
	if o.Name == "" {
		o.Name = DefaultClusterName
	}
	if !clusterNamePattern.MatchString(o.Name) {
		return o, &OptionsError{Field: "Name", Value: o.Name,
			Reason: "must be lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"}
	}
	if o.WaitForReady < 0 {
		return o, &OptionsError{Field: "WaitForReady", Value: o.WaitForReady.String(), Reason: "must not be negative"}
	}
	if o.WaitForReady == 0 {
		o.WaitForReady = DefaultWaitForReady
	}
	if o.KubeconfigPath != "" {
		abs, err := filepath.Abs(o.KubeconfigPath)
		if err != nil {
			return o, &OptionsError{Field: "KubeconfigPath", Value: o.KubeconfigPath, Reason: err.Error()}
		}
		o.KubeconfigPath = abs
	}
	return o, nil
}

// String names the cluster for messages.
func (o Options) String() string {
	return fmt.Sprintf("kind cluster %q", o.Name)
}
