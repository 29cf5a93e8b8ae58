package osdriver_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	ossim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

func TestGetVolumeIDs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	pv := func(src corev1.PersistentVolumeSource) *corev1.PersistentVolumeSpec {
		return &corev1.PersistentVolumeSpec{PersistentVolumeSource: src}
	}
	resp, err := f.drv.GetVolumeIDs(context.Background(), &driver.GetVolumeIDsRequest{PVSpecs: []*corev1.PersistentVolumeSpec{
		pv(corev1.PersistentVolumeSource{Cinder: &corev1.CinderPersistentVolumeSource{VolumeID: "vol-1"}}),
		pv(corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: "cinder.csi.openstack.org", VolumeHandle: "vol-2"}}),
		pv(corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: "ebs.csi.aws.com", VolumeHandle: "vol-3"}}),
		pv(corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/x"}}),
		nil,
	}})
	if err != nil || !slices.Equal(resp.VolumeIDs, []string{"vol-1", "vol-2"}) {
		t.Fatalf("GetVolumeIDs = %+v, %v; want [vol-1 vol-2]", resp, err)
	}
}

// rootDiskSize boots the server from a Cinder volume made from the image,
// deleted with the server.
func TestRootDiskBootsFromVolume(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	f.class.ProviderSpec.Raw = []byte(`{"flavorName":"m1.small","imageName":"` + ossim.DefaultImage.Name + `","networkID":"` +
		ossim.DefaultNetwork.ID + `","rootDiskSize":64,"tags":{"kubernetes.io-cluster-conformance":"1","kubernetes.io-role-node":"1"}}`)
	f.create(t, "m1")
	live := f.srv.Cloud().Live()
	if len(live) != 1 || !strings.Contains(live[0].Attrs["volumes"], `"delete_on_termination":true`) {
		t.Fatalf("server not booted from a volume deleted with it: %+v", live)
	}
}
