package rbac

import "testing"

func TestClusterRoleDecodes(t *testing.T) {
	role, err := ClusterRole()
	if err != nil {
		t.Fatal(err)
	}
	if role.Name != "reference-machine-controller" || len(role.Rules) == 0 {
		t.Fatalf("unexpected role %s with %d rules", role.Name, len(role.Rules))
	}
	for i, r := range role.Rules {
		for _, v := range r.Verbs {
			if v == "*" {
				t.Errorf("rule %d grants every verb; least privilege means naming them", i)
			}
		}
		for _, res := range r.Resources {
			if res == "*" {
				t.Errorf("rule %d grants every resource", i)
			}
		}
	}
}
