package memory

import (
	"fmt"
	"regexp"
	"sync"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
)

func TestCloudIDsAreDeterministicAndUnique(t *testing.T) {
	t.Parallel()
	idRE := regexp.MustCompile(`^vm-[0-9a-f]{8}$`)
	a, b := NewCloud(), NewCloud()
	seen := map[string]bool{}
	for i := range 5000 {
		pa, pb := a.AddVM("x", fmt.Sprint(i), ""), b.AddVM("x", fmt.Sprint(i), "")
		if pa != pb {
			t.Fatalf("VM #%d: %s in one cloud, %s in another", i, pa, pb)
		}
		if seen[pa] {
			t.Fatalf("VM #%d: provider ID %s repeats", i, pa)
		}
		seen[pa] = true
	}
	for _, vm := range a.VMs() {
		if !idRE.MatchString(vm.ID) || vm.ProviderID != "memory:///zone-a/"+vm.ID {
			t.Fatalf("VM %+v: want ID vm-<8 hex> and ProviderID memory:///zone-a/<ID>", vm)
		}
	}
}

func TestCloudAddVMRemoveAndSnapshot(t *testing.T) {
	t.Parallel()
	c := NewCloud()
	tests := []struct{ cluster, machine, zone, wantZone string }{
		{"a", "orphan", "", DefaultZone},
		{"b", "foreign", "zone-c", "zone-c"},
	}
	var ids []string
	for _, tc := range tests {
		id := c.AddVM(tc.cluster, tc.machine, tc.zone)
		ids = append(ids, id)
		var found bool
		for _, vm := range c.VMs() {
			if vm.ProviderID == id {
				found = true
				if vm.Cluster != tc.cluster || vm.MachineName != tc.machine || vm.Zone != tc.wantZone || vm.State != StateRunning {
					t.Errorf("AddVM(%q, %q, %q) stored %+v", tc.cluster, tc.machine, tc.zone, vm)
				}
			}
		}
		if !found {
			t.Errorf("AddVM(%q, %q, %q) = %s, not in VMs()", tc.cluster, tc.machine, tc.zone, id)
		}
	}
	c.Remove(ids[0])
	c.Remove("memory:///zone-a/vm-absent") // a no-op
	if vms := c.VMs(); len(vms) != 1 || vms[0].ProviderID != ids[1] {
		t.Fatalf("after Remove: %+v", vms)
	}
}

func TestCloudSnapshotIsACopy(t *testing.T) {
	t.Parallel()
	d := New(Options{})
	mustCreate(t, d, "m", `{"cluster":"a","size":"small","tags":{"k":"v"}}`)
	snap := d.Cloud().VMs()
	snap[0].Tags["k"] = "changed"
	snap[0].MachineName = "changed"
	if vm := d.Cloud().VMs()[0]; vm.Tags["k"] != "v" || vm.MachineName != "m" {
		t.Fatalf("changing a snapshot changed the cloud: %+v", vm)
	}
}

// TestConcurrentUse races creates of one name, creates of distinct names,
// listings and deletes on drivers sharing one cloud; run with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	cloud := NewCloud()
	const n = 32
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			d := New(Options{Cloud: cloud})
			resp, err := d.CreateMachine(ctx, createReq("same", specA))
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = resp.ProviderID
			name := fmt.Sprintf("m-%d", i)
			if _, err := d.CreateMachine(ctx, createReq(name, specA)); err != nil {
				t.Error(err)
			}
			if _, err := d.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: class(specA), Secret: secret(DefaultToken)}); err != nil {
				t.Error(err)
			}
			if i%2 == 0 {
				if _, err := d.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine(name, ""), MachineClass: class(specA), Secret: secret(DefaultToken)}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent creates of one machine made several VMs: %v", ids)
		}
	}
	if got, want := len(cloud.VMs()), 1+n/2; got != want {
		t.Fatalf("%d VMs, want %d", got, want)
	}
}
