package core

import (
	"errors"
	"testing"
	"time"
)

func TestUpdateAttrs(t *testing.T) {
	t.Parallel()
	c := New(Options{Progression: Progression{PendingFor: time.Minute}, ReadLag: time.Hour})
	vms, err := c.Launch(LaunchSpec{IDPrefix: "i-", IDDigits: 17, Attrs: map[string]string{"a": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	before := vms[0]
	after, err := c.UpdateAttrs(before.ID, func(a map[string]string) { a["b"] = "2"; delete(a, "a") })
	if err != nil {
		t.Fatalf("a VM hidden by ReadLag must still be updatable: %v", err)
	}
	if after.Attrs["b"] != "2" || after.Attrs["a"] != "" || before.Attrs["a"] != "1" {
		t.Errorf("after %v, the earlier copy %v", after.Attrs, before.Attrs)
	}
	if _, err := c.UpdateAttrs("i-missing", func(map[string]string) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown VM: %v", err)
	}
	if got := c.Progression().PendingFor; got != time.Minute {
		t.Errorf("Progression().PendingFor = %s", got)
	}
}
