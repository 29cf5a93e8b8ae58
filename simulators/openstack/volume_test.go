package openstack_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

func volumeStatus(t *testing.T, e *env, id string) string {
	t.Helper()
	v, err := volumes.Get(ctx, e.volume, id).Extract()
	if err != nil {
		t.Fatalf("get volume %s: %v", id, err)
	}
	return v.Status
}

// TestVolumeLifecycle: creating → available after VolumeProgression.Creating,
// found by name, deleting → gone after VolumeProgression.Deleting; the
// gigabytes quota is Cinder's 413.
func TestVolumeLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{Quotas: sim.Quotas{Gigabytes: 30},
		VolumeProgression: sim.VolumeProgression{Creating: 10 * time.Second, Deleting: 5 * time.Second}})
	v, err := volumes.Create(ctx, e.volume, volumes.CreateOpts{Name: "data", Size: 20, Metadata: map[string]string{"k": "v"}}, nil).Extract()
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if v.Status != "creating" || v.Size != 20 || v.AvailabilityZone != "nova" || v.VolumeType != "__DEFAULT__" {
		t.Fatalf("new volume: %+v", v)
	}
	e.clock.Step(10 * time.Second)
	if got := volumeStatus(t, e, v.ID); got != "available" {
		t.Fatalf("after 10s the volume is %s", got)
	}
	for _, opts := range []volumes.ListOpts{{Name: "data"}, {Metadata: map[string]string{"k": "v"}}, {Status: "available"}} {
		pages, err := volumes.List(e.volume, opts).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if found, _ := volumes.ExtractVolumes(pages); len(found) != 1 || found[0].ID != v.ID {
			t.Fatalf("list %+v: %+v", opts, found)
		}
	}
	_, err = volumes.Create(ctx, e.volume, volumes.CreateOpts{Name: "too-big", Size: 11}, nil).Extract()
	if f := wantFault(t, err, http.StatusRequestEntityTooLarge, "overLimit"); f["code"] != float64(413) {
		t.Fatalf("over the gigabytes quota: %v", f)
	}
	if err := volumes.Delete(ctx, e.volume, v.ID, volumes.DeleteOpts{}).ExtractErr(); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if got := volumeStatus(t, e, v.ID); got != "deleting" {
		t.Fatalf("deleted volume is %s", got)
	}
	err = volumes.Delete(ctx, e.volume, v.ID, volumes.DeleteOpts{}).ExtractErr()
	wantFault(t, err, http.StatusBadRequest, "badRequest")
	e.clock.Step(5 * time.Second)
	_, err = volumes.Get(ctx, e.volume, v.ID).Extract()
	if f := wantFault(t, err, http.StatusNotFound, "itemNotFound"); f["message"] != "Volume "+v.ID+" could not be found." {
		t.Fatalf("gone volume: %v", f)
	}
}

// TestBootFromVolume: Nova makes the root volume in Cinder, in-use by the
// server, refuses its deletion while attached, and deletes it with the
// server when delete_on_termination says so.
func TestBootFromVolume(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	srv, err := servers.Create(ctx, e.compute, servers.CreateOpts{Name: "bfv", FlavorRef: "1", BlockDevice: []servers.BlockDevice{{
		SourceType: servers.SourceImage, DestinationType: servers.DestinationVolume, UUID: sim.DefaultImage.ID,
		VolumeSize: 50, DeleteOnTermination: true}}}, nil).Extract()
	if err != nil {
		t.Fatalf("boot from volume: %v", err)
	}
	got := getServer(t, e, srv.ID)
	if len(got.AttachedVolumes) != 1 || got.Image != nil {
		t.Fatalf("server booted from a volume: volumes %+v, image %v", got.AttachedVolumes, got.Image)
	}
	root, err := volumes.Get(ctx, e.volume, got.AttachedVolumes[0].ID).Extract()
	if err != nil || root.Status != "in-use" || root.Size != 50 || len(root.Attachments) != 1 || root.Attachments[0].ServerID != srv.ID {
		t.Fatalf("root volume: %+v %v", root, err)
	}
	wantFault(t, volumes.Delete(ctx, e.volume, root.ID, volumes.DeleteOpts{}).ExtractErr(), http.StatusBadRequest, "badRequest")
	if err := servers.Delete(ctx, e.compute, srv.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	_, err = volumes.Get(ctx, e.volume, root.ID).Extract()
	wantFault(t, err, http.StatusNotFound, "itemNotFound")
}
