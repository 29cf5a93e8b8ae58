package openstack_test

import (
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/attributestags"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// taggedPort adds Neutron's tags attribute to gophercloud's port create body.
type taggedPort struct {
	ports.CreateOpts
	Tags []string
}

func (o taggedPort) ToPortCreateMap() (map[string]any, error) {
	b, err := o.CreateOpts.ToPortCreateMap()
	if err == nil {
		b["port"].(map[string]any)["tags"] = o.Tags
	}
	return b, err
}

func portNames(t *testing.T, e *env, opts ports.ListOpts) []string {
	t.Helper()
	pages, err := ports.List(e.network, opts).AllPages(ctx)
	if err != nil {
		t.Fatalf("list ports %+v: %v", opts, err)
	}
	all, _ := ports.ExtractPorts(pages)
	var names []string
	for _, p := range all {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return names
}

func TestPortsWithTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{Quotas: sim.Quotas{Ports: 4}})
	net := sim.DefaultNetwork.ID
	a, err := ports.Create(ctx, e.network, taggedPort{ports.CreateOpts{Name: "a", NetworkID: net, DeviceID: "server-1"},
		[]string{"kubernetes.io-cluster-x", "role-node"}}).Extract()
	if err != nil {
		t.Fatalf("create with tags: %v", err)
	}
	if !slices.Equal(a.Tags, []string{"kubernetes.io-cluster-x", "role-node"}) || len(a.FixedIPs) != 1 || a.MACAddress == "" {
		t.Fatalf("port a: %+v", a)
	}
	b, err := ports.Create(ctx, e.network, ports.CreateOpts{Name: "b", NetworkID: net}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := attributestags.ReplaceAll(ctx, e.network, "ports", b.ID, attributestags.ReplaceAllOpts{Tags: []string{"kubernetes.io-cluster-y"}}).Extract(); err != nil || len(got) != 1 {
		t.Fatalf("replace tags: %v %v", got, err)
	}
	if err := attributestags.Add(ctx, e.network, "ports", b.ID, "role-node").ExtractErr(); err != nil {
		t.Fatalf("add tag: %v", err)
	}
	if _, err := ports.Create(ctx, e.network, ports.CreateOpts{Name: "c", NetworkID: net}).Extract(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		opts ports.ListOpts
		want []string
	}{
		{"all", ports.ListOpts{}, []string{"a", "b", "c"}},
		{"device_id", ports.ListOpts{DeviceID: "server-1"}, []string{"a"}},
		{"network_id", ports.ListOpts{NetworkID: net}, []string{"a", "b", "c"}},
		{"name", ports.ListOpts{Name: "b"}, []string{"b"}},
		{"tags (all of)", ports.ListOpts{Tags: "kubernetes.io-cluster-x,role-node"}, []string{"a"}},
		{"tags-any", ports.ListOpts{TagsAny: "kubernetes.io-cluster-x,kubernetes.io-cluster-y"}, []string{"a", "b"}},
		{"not-tags-any", ports.ListOpts{NotTagsAny: "role-node"}, []string{"c"}},
		{"fixed IP", ports.ListOpts{FixedIPs: []ports.FixedIPOpts{{IPAddress: a.FixedIPs[0].IPAddress}}}, []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := portNames(t, e, tc.opts); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	pages := 0
	_ = ports.List(e.network, ports.ListOpts{Limit: 2}).EachPage(ctx, countPages(&pages))
	if pages != 2 {
		t.Fatalf("3 ports by 2 came in %d pages", pages)
	}

	_, err = ports.List(e.network, ports.ListOpts{SortKey: "name"}).AllPages(ctx)
	wantFault(t, err, http.StatusNotImplemented, "NeutronError")
	_, err = ports.Create(ctx, e.network, ports.CreateOpts{Name: "d", NetworkID: "no-such-network"}).Extract()
	if f := wantFault(t, err, http.StatusNotFound, "NeutronError"); f["type"] != "NetworkNotFound" {
		t.Fatalf("create on a missing network: %v", f)
	}
	if _, err := ports.Create(ctx, e.network, ports.CreateOpts{Name: "d", NetworkID: net}).Extract(); err != nil {
		t.Fatal(err)
	}
	_, err = ports.Create(ctx, e.network, ports.CreateOpts{Name: "e", NetworkID: net}).Extract()
	if f := wantFault(t, err, http.StatusConflict, "NeutronError"); f["type"] != "OverQuota" {
		t.Fatalf("fifth port under a quota of 4: %v", f)
	}
	if err := ports.Delete(ctx, e.network, a.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	err = ports.Delete(ctx, e.network, a.ID).ExtractErr()
	if f := wantFault(t, err, http.StatusNotFound, "NeutronError"); f["type"] != "PortNotFound" || f["message"] != "Port "+a.ID+" could not be found." {
		t.Fatalf("second delete: %v", f)
	}
}

// TestNetworkCatalogue: networks, subnets and security groups are found by
// name, as drivers resolve them.
func TestNetworkCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	pages, err := networks.List(e.network, networks.ListOpts{Name: "private"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nets, _ := networks.ExtractNetworks(pages)
	if len(nets) != 1 || nets[0].ID != sim.DefaultNetwork.ID || !slices.Equal(nets[0].Subnets, []string{sim.DefaultNetwork.Subnets[0].ID}) {
		t.Fatalf("networks named private: %+v", nets)
	}
	sn, err := subnets.Get(ctx, e.network, sim.DefaultNetwork.Subnets[0].ID).Extract()
	if err != nil || sn.CIDR != sim.DefaultNetwork.Subnets[0].CIDR || sn.NetworkID != sim.DefaultNetwork.ID {
		t.Fatalf("subnet: %+v %v", sn, err)
	}
	pages, err = groups.List(e.network, groups.ListOpts{Name: "default"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sgs, _ := groups.ExtractGroups(pages); len(sgs) != 1 || sgs[0].ID != sim.DefaultSecurityGroup.ID {
		t.Fatalf("security groups named default: %+v", sgs)
	}
	_, err = subnets.Get(ctx, e.network, "nope").Extract()
	if f := wantFault(t, err, http.StatusNotFound, "NeutronError"); f["type"] != "SubnetNotFound" {
		t.Fatalf("missing subnet: %v", f)
	}
}
