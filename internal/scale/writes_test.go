package scale

import "testing"

func TestResourceOf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ path, want string }{
		{"/apis/machine.sapcloud.io/v1alpha1/namespaces/ns/machines", "machines"},
		{"/apis/machine.sapcloud.io/v1alpha1/namespaces/ns/machines/m-1", "machines"},
		{"/apis/machine.sapcloud.io/v1alpha1/namespaces/ns/machines/m-1/status", "machines/status"},
		{"/api/v1/nodes/n-1", "nodes"},
		{"/api/v1/namespaces/ns/events", "events"},
		{"/apis/events.k8s.io/v1/namespaces/ns/events", "events"},
		{"/api/v1/namespaces/ns", "namespaces"},
		{"/healthz", "/healthz"},
	} {
		if got := resourceOf(tc.path); got != tc.want {
			t.Errorf("resourceOf(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestWriteCounterSplitsPerMachine(t *testing.T) {
	t.Parallel()
	var c writeCounter
	for range 4 {
		c.add("PATCH machines/status")
	}
	c.add("POST events")
	c.add("POST events")
	got := c.perMachine(2)
	if c.total() != 6 || len(got) != 2 || got[0].String() != "PATCH machines/status 2.0" || got[1].String() != "POST events 1.0" {
		t.Fatalf("total %d, split %v", c.total(), got)
	}
}
