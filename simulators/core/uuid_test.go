package core

import (
	"regexp"
	"testing"
)

func TestNewUUIDIsSeededUniqueAndUsableAsID(t *testing.T) {
	t.Parallel()
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := New(Options{Seed: 7}), New(Options{Seed: 7})
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		id := a.NewUUID()
		if !v4.MatchString(id) || seen[id] {
			t.Fatalf("UUID %d: %q (seen before: %v)", i, id, seen[id])
		}
		seen[id] = true
		if other := b.NewUUID(); other != id {
			t.Fatalf("same seed, UUID %d differs: %s vs %s", i, id, other)
		}
	}
	id := a.NewUUID()
	vms, err := a.Launch(LaunchSpec{Count: 1, IDPrefix: id})
	if err != nil || len(vms) != 1 || vms[0].ID != id {
		t.Fatalf("launch under a UUID: %+v %v", vms, err)
	}
}

func TestKnownCountsEveryVMEver(t *testing.T) {
	t.Parallel()
	c := New(Options{})
	vms, _ := c.Launch(LaunchSpec{Count: 2, IDPrefix: "i-", IDDigits: 8})
	c.Inject(LaunchSpec{IDPrefix: "i-", IDDigits: 8})
	if err := c.Vanish(vms[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := c.Known(); got != 3 {
		t.Fatalf("Known() = %d after 2 launches and 1 injection (1 vanished), want 3", got)
	}
}
