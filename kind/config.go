package kind

import (
	"fmt"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/yaml"
)

// kubeletAllowsCgroupV1 lets kubelet 1.35 and later start on a cgroup v1
// host; on cgroup v2 it changes nothing.
const kubeletAllowsCgroupV1 = `kind: KubeletConfiguration
failCgroupV1: false
`

// Render returns the kind configuration (kind.x-k8s.io/v1alpha4 YAML) Up
// creates the cluster from.
func Render(opts Options) ([]byte, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return render(opts)
}

// render is Render for options whose defaults are already filled in.
func render(opts Options) ([]byte, error) {
	config := v1alpha4.Cluster{
		TypeMeta: v1alpha4.TypeMeta{Kind: "Cluster", APIVersion: "kind.x-k8s.io/v1alpha4"},
		Name:     opts.Name,
		Nodes:    []v1alpha4.Node{{Role: v1alpha4.ControlPlaneRole, Image: opts.NodeImage}},
		Networking: v1alpha4.Networking{
			PodSubnet:         PodSubnet,
			DisableDefaultCNI: opts.NodeImageHasCNI,
		},
		KubeadmConfigPatches: append([]string{kubeletAllowsCgroupV1}, opts.ExtraKubeadmConfigPatches...),
	}
	raw, err := yaml.Marshal(config)
	if err != nil {
		return nil, fmt.Errorf("rendering the kind configuration of cluster %q: %w", opts.Name, err)
	}
	return raw, nil
}
