package conformance

import (
	"fmt"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/machine-conformance/machine-conformance/controller/rbac"
)

// RunWithoutRule makes the reference controller of this process's suite
// run under the shipped ClusterRole less one verb on one resource, so a
// test can prove the rbac group catches the missing rule. It fails if no
// rule of the shipped role grants that verb.
func RunWithoutRule(group, resource, verb string) error {
	role, err := rbac.ClusterRole()
	if err != nil {
		return err
	}
	removed := false
	for i, r := range role.Rules {
		if slices.Contains(r.APIGroups, group) && slices.Contains(r.Resources, resource) && slices.Contains(r.Verbs, verb) {
			role.Rules[i].Verbs = slices.DeleteFunc(slices.Clone(r.Verbs), func(v string) bool { return v == verb })
			removed = true
		}
	}
	if !removed {
		return fmt.Errorf("the shipped ClusterRole grants no %q on %q in group %q", verb, resource, group)
	}
	// A role of its own name: on a shared cluster the shipped role stays whole.
	role.Name += "-without-" + verb + "-" + resource
	shippedClusterRole = func() (*rbacv1.ClusterRole, error) { return role.DeepCopy(), nil }
	return nil
}
