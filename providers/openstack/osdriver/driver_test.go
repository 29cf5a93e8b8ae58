package osdriver_test

import (
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"

	"github.com/machine-conformance/machine-conformance/providers/openstack"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

func TestCreateStatusListDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	first := f.create(t, "m1")
	second := f.create(t, "m1")
	if first.ProviderID != second.ProviderID || first.NodeName != "m1" || !strings.HasPrefix(first.ProviderID, "openstack:///"+openstack.Region+"/") {
		t.Fatalf("create is not idempotent or badly formed: %+v then %+v", first, second)
	}
	foreign := f.inject("m1", "someone-else")
	st, err := f.status("m1")
	if err != nil || st.ProviderID != first.ProviderID || st.NodeName != "m1" {
		t.Fatalf("GetMachineStatus = %+v, %v; want %s", st, err, first.ProviderID)
	}
	if got := f.list(t); len(got) != 1 || got[first.ProviderID] != "m1" {
		t.Fatalf("ListMachines = %v, want only %s", got, first.ProviderID)
	}
	if err := f.delete("m1", first.ProviderID); err != nil {
		t.Fatal(err)
	}
	if err := f.delete("m1", first.ProviderID); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := f.status("m1"); codeOf(t, err) != codes.NotFound {
		t.Fatalf("GetMachineStatus after delete: %v, want NotFound", err)
	}
	if got := f.list(t); len(got) != 0 {
		t.Fatalf("ListMachines after delete = %v", got)
	}
	if n := f.ports(t, "m1"); n != 0 {
		t.Errorf("%d ports of machine m1 left after delete", n)
	}
	live := f.srv.Cloud().Live()
	if len(live) != 1 || live[0].ID != foreign.ID {
		t.Fatalf("live servers %v, want only the other cluster's %s", live, foreign.ID)
	}
}

// A server that vanished leaves its machine's port bound; DeleteMachine
// still deletes the port.
func TestDeleteAfterTheServerVanished(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	resp := f.create(t, "m1")
	id := resp.ProviderID[strings.LastIndex(resp.ProviderID, "/")+1:]
	if err := f.srv.Cloud().Vanish(id); err != nil {
		t.Fatal(err)
	}
	if err := f.delete("m1", resp.ProviderID); err != nil {
		t.Fatal(err)
	}
	if n := f.ports(t, "m1"); n != 0 {
		t.Errorf("%d ports of machine m1 left", n)
	}
}
