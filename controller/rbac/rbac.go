// Package rbac ships the reference controller's least-privilege ClusterRole.
package rbac

import (
	_ "embed"
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

// ClusterRoleYAML is clusterrole.yaml, as shipped.
//
//go:embed clusterrole.yaml
var ClusterRoleYAML []byte

// ClusterRole decodes ClusterRoleYAML.
func ClusterRole() (*rbacv1.ClusterRole, error) {
	role := &rbacv1.ClusterRole{}
	if err := yaml.UnmarshalStrict(ClusterRoleYAML, role); err != nil {
		return nil, fmt.Errorf("controller/rbac/clusterrole.yaml: %w", err)
	}
	return role, nil
}
