package openstack_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestServerLifecycle: BUILD for PendingFor on the fake clock, then ACTIVE
// with an address on a port Nova made; deletion shows task_state deleting
// for ShuttingDownFor, then the server and its port are gone; the oracle
// knows the owner from the metadata throughout.
func TestServerLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Progression: core.Progression{PendingFor: 3 * time.Minute, ShuttingDownFor: time.Minute}}, sim.Options{})
	created := createServer(t, e, "shoot--a-worker-1", clusterMetadata("a"))
	if !uuidPattern.MatchString(created.ID) {
		t.Fatalf("server ID %q is not a version-4 UUID", created.ID)
	}
	if got := getServer(t, e, created.ID); got.Status != "BUILD" || got.TaskState != "spawning" {
		t.Fatalf("new server is %s/%s, want BUILD/spawning", got.Status, got.TaskState)
	}

	e.clock.Step(3 * time.Minute)
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := servers.WaitForStatus(wctx, e.compute, created.ID, "ACTIVE"); err != nil {
		t.Fatalf("waiting for ACTIVE: %v", err)
	}
	active := getServer(t, e, created.ID)
	if active.Name != "shoot--a-worker-1" || active.Metadata["kubernetes.io-cluster-a"] != "1" || active.Flavor["id"] != "3" ||
		active.Image["id"] != sim.DefaultImage.ID || active.AvailabilityZone != "nova" || active.LaunchedAt.IsZero() {
		t.Fatalf("active server: %+v", active)
	}
	addrs, _ := active.Addresses["private"].([]any)
	if len(addrs) != 1 {
		t.Fatalf("addresses %v, want one on network private", active.Addresses)
	}
	pages, err := ports.List(e.network, ports.ListOpts{DeviceID: created.ID}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nics, _ := ports.ExtractPorts(pages)
	if len(nics) != 1 || nics[0].FixedIPs[0].IPAddress != addrs[0].(map[string]any)["addr"] || nics[0].DeviceOwner != "compute:nova" {
		t.Fatalf("ports of the server %+v, want one holding its address", nics)
	}
	if o, ok := e.cloud.Owner(created.ID); !ok || o != (core.Owner{Kind: core.Managed, Cluster: "a", Machine: "shoot--a-worker-1"}) {
		t.Fatalf("oracle: %+v", o)
	}

	if err := servers.Delete(ctx, e.compute, created.ID).ExtractErr(); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := getServer(t, e, created.ID); got.Status != "ACTIVE" || got.TaskState != "deleting" {
		t.Fatalf("deleting server is %s/%s, want ACTIVE/deleting", got.Status, got.TaskState)
	}
	e.clock.Step(time.Minute)
	_, err = servers.Get(ctx, e.compute, created.ID).Extract()
	f := wantFault(t, err, http.StatusNotFound, "itemNotFound")
	if f["code"] != float64(404) || f["message"] != "Instance "+created.ID+" could not be found." {
		t.Fatalf("not-found fault %v", f)
	}
	if _, err := ports.Get(ctx, e.network, nics[0].ID).Extract(); err == nil {
		t.Fatal("the port Nova made outlived its server")
	}
	for _, vm := range e.cloud.Census() {
		if vm.ID == created.ID && vm.Alive {
			t.Fatal("the oracle thinks the deleted server is alive")
		}
	}
	wantFault(t, servers.Delete(ctx, e.compute, created.ID).ExtractErr(), http.StatusNotFound, "itemNotFound")
}

// TestCreateServerRefusals: invalid requests fail with Nova's codes and
// fault shapes, and leave nothing behind.
func TestCreateServerRefusals(t *testing.T) {
	t.Parallel()
	two := sim.DefaultNetwork
	two.ID, two.Name, two.Subnets = "0e7e0000-0000-4000-8000-000000000002", "second", nil
	e := newEnv(t, core.Options{}, sim.Options{Networks: []sim.Network{sim.DefaultNetwork, two}, KeyPairs: []string{"mine"}})
	base := servers.CreateOpts{Name: "x", FlavorRef: "1", ImageRef: sim.DefaultImage.ID, Networks: []servers.Network{{UUID: two.ID}}}
	tests := []struct {
		name   string
		change func(*servers.CreateOpts)
		status int
		key    string
	}{
		{"unknown flavor", func(o *servers.CreateOpts) { o.FlavorRef = "42" }, 400, "badRequest"},
		{"unknown image", func(o *servers.CreateOpts) { o.ImageRef = "no-such-image" }, 400, "badRequest"},
		{"unknown zone", func(o *servers.CreateOpts) { o.AvailabilityZone = "mars" }, 400, "badRequest"},
		{"unknown security group", func(o *servers.CreateOpts) { o.SecurityGroups = []string{"nope"} }, 400, "badRequest"},
		{"unknown network", func(o *servers.CreateOpts) { o.Networks = []servers.Network{{UUID: "nope"}} }, 400, "badRequest"},
		{"ambiguous network", func(o *servers.CreateOpts) { o.Networks = nil }, 409, "conflictingRequest"},
		{"too much metadata", func(o *servers.CreateOpts) {
			o.Metadata = map[string]string{}
			for i := 0; i < 129; i++ {
				o.Metadata[fmt.Sprintf("key-%d", i)] = "v"
			}
		}, 403, "forbidden"},
		{"several servers at once", func(o *servers.CreateOpts) { o.Min, o.Max = 2, 2 }, 501, "notImplemented"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := base
			tc.change(&opts)
			_, err := servers.Create(ctx, e.compute, opts, nil).Extract()
			wantFault(t, err, tc.status, tc.key)
		})
	}
	if live := e.cloud.Live(); len(live) != 0 {
		t.Fatalf("refused creates left %d servers", len(live))
	}
	pages, _ := ports.List(e.network, nil).AllPages(ctx)
	if all, _ := ports.ExtractPorts(pages); len(all) != 0 {
		t.Fatalf("refused creates left %d ports", len(all))
	}
}

// TestUserPort: a server on a port the user made binds it; deleting the
// server unbinds it and keeps it; a bound port cannot serve a second server.
func TestUserPort(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	p, err := ports.Create(ctx, e.network, ports.CreateOpts{Name: "m-0", NetworkID: sim.DefaultNetwork.ID,
		FixedIPs: []ports.IP{{SubnetID: sim.DefaultNetwork.Subnets[0].ID, IPAddress: "10.0.0.77"}}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	opts := servers.CreateOpts{Name: "m-0", FlavorRef: "1", ImageRef: sim.DefaultImage.ID, Networks: []servers.Network{{Port: p.ID}}}
	srv, err := servers.Create(ctx, e.compute, opts, nil).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if bound, _ := ports.Get(ctx, e.network, p.ID).Extract(); bound.DeviceID != srv.ID || bound.Status != "ACTIVE" {
		t.Fatalf("port after boot: %+v", bound)
	}
	if got := getServer(t, e, srv.ID).Addresses["private"].([]any)[0].(map[string]any)["addr"]; got != "10.0.0.77" {
		t.Fatalf("server address %v, want the port's 10.0.0.77", got)
	}
	_, err = servers.Create(ctx, e.compute, opts, nil).Extract()
	wantFault(t, err, http.StatusConflict, "conflictingRequest")
	if err := servers.Delete(ctx, e.compute, srv.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if unbound, err := ports.Get(ctx, e.network, p.ID).Extract(); err != nil || unbound.DeviceID != "" {
		t.Fatalf("port after the server's deletion: %+v, %v", unbound, err)
	}
}

// TestDeletingKeepsStatus: a server deleted while it builds still shows
// BUILD, with task_state deleting, until it is gone; one that died on its
// own shows SHUTOFF and may be deleted too.
func TestDeletingKeepsStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Progression: core.Progression{PendingFor: time.Hour, ShuttingDownFor: time.Minute}}, sim.Options{})
	building := createServer(t, e, "building", nil).ID
	if err := servers.Delete(ctx, e.compute, building).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if got := getServer(t, e, building); got.Status != "BUILD" || got.TaskState != "deleting" {
		t.Fatalf("server deleted while building is %s/%s, want BUILD/deleting", got.Status, got.TaskState)
	}
	_, err := servers.UpdateMetadata(ctx, e.compute, building, servers.MetadataOpts{"k": "v"}).Extract()
	wantFault(t, err, http.StatusConflict, "conflictingRequest")
	e.clock.Step(time.Minute)
	_, err = servers.Get(ctx, e.compute, building).Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")
}
