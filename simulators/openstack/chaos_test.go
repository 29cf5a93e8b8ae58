package openstack_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// TestChaosSeenThroughTheSDK: a killed server shows SHUTOFF, then is
// gone; a vanished one is unknown; an injected duplicate carries the
// original's name and metadata, is listed beside it and is known to the
// oracle as an orphan.
func TestChaosSeenThroughTheSDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Progression: core.Progression{ShuttingDownFor: time.Minute}}, sim.Options{})
	killed := createServer(t, e, "k", clusterMetadata("a")).ID
	vanished := createServer(t, e, "v", clusterMetadata("a")).ID
	original := createServer(t, e, "twin", clusterMetadata("a")).ID

	if err := e.cloud.Kill(killed); err != nil {
		t.Fatal(err)
	}
	if got := getServer(t, e, killed); got.Status != "SHUTOFF" {
		t.Fatalf("killed server is %s, want SHUTOFF", got.Status)
	}
	e.clock.Step(time.Minute)
	_, err := servers.Get(ctx, e.compute, killed).Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")

	if err := e.cloud.Vanish(vanished); err != nil {
		t.Fatal(err)
	}
	_, err = servers.Get(ctx, e.compute, vanished).Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")

	vm, _ := e.cloud.Get(original)
	dup := e.srv.Inject(core.LaunchSpec{Tags: vm.Tags, Attrs: map[string]string{sim.AttrName: "twin"},
		Owner: core.Owner{Kind: core.Orphan, Cluster: "a", Machine: "twin"}})
	pages, err := servers.List(e.compute, servers.ListOpts{Name: "^twin$"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	twins, _ := servers.ExtractServers(pages)
	var ids []string
	for _, s := range twins {
		if s.Metadata["kubernetes.io-cluster-a"] != "1" || s.Status != "ACTIVE" || len(s.Addresses["private"].([]any)) != 1 {
			t.Fatalf("twin %+v", s)
		}
		ids = append(ids, s.ID)
	}
	slices.Sort(ids)
	want := []string{original, dup.ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Fatalf("servers named twin: %v, want %v", ids, want)
	}
	if o, _ := e.cloud.Owner(dup.ID); o.Kind != core.Orphan || o.Cluster != "a" {
		t.Fatalf("oracle on the duplicate: %+v", o)
	}
	node, joins := e.srv.NodeIdentity(dup)
	if !joins || node.Name != "twin" || node.ProviderID != "openstack:///RegionOne/"+dup.ID || node.InternalIP == "" {
		t.Fatalf("node of the duplicate: %+v %v", node, joins)
	}
}

// TestFaultProbabilityReplays: a 50% throttle with one seed fails the same
// calls on every run.
func TestFaultProbabilityReplays(t *testing.T) {
	t.Parallel()
	outcomes := func() []bool {
		e := newEnv(t, core.Options{Seed: 42, Faults: []core.FaultRule{{Name: "half", Operation: "ListServers",
			Probability: 0.5, Error: &core.FaultError{Code: sim.FaultRateLimit}}}}, sim.Options{})
		var out []bool
		for i := 0; i < 20; i++ {
			_, err := servers.List(e.compute, nil).AllPages(ctx)
			out = append(out, err != nil)
		}
		return out
	}
	a, b := outcomes(), outcomes()
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different outcomes:\n%v\n%v", a, b)
	}
	if n := len(slices.DeleteFunc(slices.Clone(a), func(failed bool) bool { return !failed })); n == 0 || n == len(a) {
		t.Fatalf("%d of %d calls failed at probability 0.5", n, len(a))
	}
}

// TestEventLog: calls and their failures are recorded with the operation.
func TestEventLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	id := createServer(t, e, "logged", nil).ID
	_, _ = servers.Get(ctx, e.compute, "missing").Extract()
	var created, missed bool
	for _, ev := range e.cloud.Events() {
		created = created || ev.Kind == core.KindCall && ev.Operation == "CreateServer" && ev.VMID == id && ev.Code == ""
		missed = missed || ev.Kind == core.KindCall && ev.Operation == "GetServer" && ev.Code == "InstanceNotFound"
	}
	if !created || !missed {
		t.Fatalf("event log lacks the create (%v) or the failed get (%v): %+v", created, missed, e.cloud.Events())
	}
}
