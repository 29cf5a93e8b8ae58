package openstack_test

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

func listNames(t *testing.T, e *env, opts servers.ListOpts) []string {
	t.Helper()
	pages, err := servers.List(e.compute, opts).AllPages(ctx)
	if err != nil {
		t.Fatalf("list %+v: %v", opts, err)
	}
	all, err := servers.ExtractServers(pages)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range all {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

// TestListServers: Nova's name filter is a regular expression searched in
// the name; status, flavor and zone filter too; unknown filters Nova has
// fail loudly.
func TestListServers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Progression: core.Progression{PendingFor: time.Minute}}, sim.Options{})
	for _, name := range []string{"m-1", "m-2", "m-10", "worker.a", "workerXa"} {
		createServer(t, e, name, clusterMetadata("a"))
	}
	e.clock.Step(time.Minute)
	createServer(t, e, "m-3", nil) // still building
	// A server that entered the cloud behind the simulator's back is found by name too.
	e.cloud.Inject(core.LaunchSpec{IDPrefix: e.cloud.NewUUID(), Attrs: map[string]string{sim.AttrName: "m-100"},
		Owner: core.Owner{Kind: core.Orphan, Cluster: "a"}})

	tests := []struct {
		name string
		opts servers.ListOpts
		want []string
	}{
		{"all", servers.ListOpts{}, []string{"m-1", "m-10", "m-100", "m-2", "m-3", "worker.a", "workerXa"}},
		{"name is searched, not matched whole", servers.ListOpts{Name: "m-1"}, []string{"m-1", "m-10", "m-100"}},
		{"anchored regular expression", servers.ListOpts{Name: "^m-1$"}, []string{"m-1"}},
		{"dot is a wildcard", servers.ListOpts{Name: "worker.a"}, []string{"worker.a", "workerXa"}},
		{"short literal", servers.ListOpts{Name: "-"}, []string{"m-1", "m-10", "m-100", "m-2", "m-3"}},
		{"no match", servers.ListOpts{Name: "zzz"}, nil},
		{"status BUILD", servers.ListOpts{Status: "BUILD"}, []string{"m-3"}},
		{"status and name", servers.ListOpts{Status: "ACTIVE", Name: "m-"}, []string{"m-1", "m-10", "m-100", "m-2"}},
		{"flavor", servers.ListOpts{Flavor: "3", Name: "worker"}, []string{"worker.a", "workerXa"}},
		{"zone", servers.ListOpts{AvailabilityZone: "elsewhere"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := listNames(t, e, tc.opts); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	_, err := servers.List(e.compute, servers.ListOpts{IP: "10.0.0.2"}).AllPages(ctx)
	f := wantFault(t, err, http.StatusNotImplemented, "notImplemented")
	if f["message"] != `the OpenStack simulator does not implement the server list filter "ip"` {
		t.Fatalf("message %v", f["message"])
	}
}

// TestListPaging: limit and marker page newest first through
// servers_links, and gophercloud's pager collects every server once.
func TestListPaging(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	var created []string
	for i := 0; i < 8; i++ {
		created = append(created, createServer(t, e, "p", nil).ID)
		e.clock.Step(time.Second)
	}
	var got []string
	var sizes []int
	err := servers.List(e.compute, servers.ListOpts{Limit: 3}).EachPage(ctx, func(_ context.Context, page pagination.Page) (bool, error) {
		list, err := servers.ExtractServers(page)
		for _, s := range list {
			got = append(got, s.ID)
		}
		sizes = append(sizes, len(list))
		return true, err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(created) // newest first
	if !slices.Equal(got, created) || !slices.Equal(sizes, []int{3, 3, 2}) {
		t.Fatalf("pages of %v gave %v, want %v", sizes, got, created)
	}
	_, err = servers.List(e.compute, servers.ListOpts{Marker: "no-such-server"}).AllPages(ctx)
	wantFault(t, err, http.StatusBadRequest, "badRequest")
}

// TestReadLag: a server younger than the read lag is missing from lists
// and unknown to GET, as on an eventually consistent cloud.
func TestReadLag(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{ReadLag: 10 * time.Second}, sim.Options{})
	srv := createServer(t, e, "lagging", nil)
	if names := listNames(t, e, servers.ListOpts{Name: "lagging"}); len(names) != 0 {
		t.Fatalf("a server younger than the lag is listed: %v", names)
	}
	_, err := servers.Get(ctx, e.compute, srv.ID).Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")
	e.clock.Step(10 * time.Second)
	if names := listNames(t, e, servers.ListOpts{Name: "lagging"}); len(names) != 1 {
		t.Fatalf("after the lag: %v", names)
	}
}
