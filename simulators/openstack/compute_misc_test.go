package openstack_test

import (
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// TestMetadata: the metadata calls change the core VM's tags, which the
// oracle and every listing see.
func TestMetadata(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	id := createServer(t, e, "m", map[string]string{"a": "1", "b": "2"}).ID
	tags := func() map[string]string {
		vm, err := e.cloud.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		return vm.Tags
	}
	steps := []struct {
		name string
		do   func() error
		want map[string]string
	}{
		{"update merges", func() error {
			_, err := servers.UpdateMetadata(ctx, e.compute, id, servers.MetadataOpts{"b": "3", "c": "4"}).Extract()
			return err
		}, map[string]string{"a": "1", "b": "3", "c": "4"}},
		{"reset replaces", func() error {
			_, err := servers.ResetMetadata(ctx, e.compute, id, servers.MetadataOpts{"kubernetes.io-cluster-x": "1"}).Extract()
			return err
		}, map[string]string{"kubernetes.io-cluster-x": "1"}},
		{"set one item", func() error {
			_, err := servers.CreateMetadatum(ctx, e.compute, id, servers.MetadatumOpts{"d": "5"}).Extract()
			return err
		}, map[string]string{"kubernetes.io-cluster-x": "1", "d": "5"}},
		{"delete one item", func() error { return servers.DeleteMetadatum(ctx, e.compute, id, "d").ExtractErr() },
			map[string]string{"kubernetes.io-cluster-x": "1"}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := tags(); !maps.Equal(got, st.want) {
			t.Fatalf("%s: core tags %v, want %v", st.name, got, st.want)
		}
		if got, _ := servers.Metadata(ctx, e.compute, id).Extract(); !maps.Equal(got, st.want) {
			t.Fatalf("%s: GET metadata %v, want %v", st.name, got, st.want)
		}
	}
	_, err := servers.Metadatum(ctx, e.compute, id, "d").Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")
	_, err = servers.Metadata(ctx, e.compute, "no-such-server").Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")
}

// TestCatalogue: flavors, images (through Glance, as gophercloud/v2 finds
// them by name) and zones.
func TestCatalogue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{Zones: []string{"az1", "az2"}})
	pages, err := flavors.ListDetail(e.compute, nil).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := flavors.ExtractFlavors(pages)
	if len(all) != len(sim.DefaultFlavors) || all[2].Name != "m1.medium" || all[2].VCPUs != 2 || all[2].RAM != 4096 || all[2].Disk != 40 {
		t.Fatalf("flavors %+v", all)
	}
	pages, _ = flavors.ListDetail(e.compute, flavors.ListOpts{MinRAM: 8192}).AllPages(ctx)
	if big, _ := flavors.ExtractFlavors(pages); len(big) != 2 {
		t.Fatalf("flavors with 8 GiB or more: %+v", big)
	}
	if f, err := flavors.Get(ctx, e.compute, "4").Extract(); err != nil || f.Name != "m1.large" {
		t.Fatalf("flavor 4: %+v %v", f, err)
	}
	_, err = flavors.Get(ctx, e.compute, "404").Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")

	pages, err = images.List(e.image, images.ListOpts{Name: sim.DefaultImage.Name}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found, _ := images.ExtractImages(pages)
	if len(found) != 1 || found[0].ID != sim.DefaultImage.ID || found[0].Status != images.ImageStatusActive {
		t.Fatalf("images named %s: %+v", sim.DefaultImage.Name, found)
	}
	pages, _ = images.List(e.image, images.ListOpts{Name: "nope"}).AllPages(ctx)
	if none, _ := images.ExtractImages(pages); len(none) != 0 {
		t.Fatalf("images named nope: %+v", none)
	}
	if img, err := images.Get(ctx, e.image, sim.DefaultImage.ID).Extract(); err != nil || img.Name != sim.DefaultImage.Name {
		t.Fatalf("image by ID: %+v %v", img, err)
	}

	pages, err = availabilityzones.List(e.compute).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	zones, _ := availabilityzones.ExtractAvailabilityZones(pages)
	var names []string
	for _, z := range zones {
		names = append(names, z.ZoneName)
	}
	if !slices.Equal(names, []string{"az1", "az2"}) {
		t.Fatalf("zones %v", names)
	}
}

// TestMicroversions: from 2.47 a server embeds its flavor; a version the
// simulator does not offer is refused with 406.
func TestMicroversions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	id := createServer(t, e, "m", nil).ID
	if f := getServer(t, e, id).Flavor; f["id"] != "3" || f["original_name"] != nil {
		t.Fatalf("flavor at 2.1: %v", f)
	}
	c := *e.compute
	c.Microversion = "2.47"
	if f := getServer(t, &env{compute: &c}, id).Flavor; f["original_name"] != "m1.medium" || f["vcpus"] != float64(2) {
		t.Fatalf("flavor at 2.47: %v", f)
	}
	c.Microversion = "2.999"
	_, err := servers.Get(ctx, &c, id).Extract()
	if got := httpError(t, err).Actual; got != http.StatusNotAcceptable {
		t.Fatalf("microversion 2.999: status %d, want 406", got)
	}
}
