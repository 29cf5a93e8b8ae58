package memory

import (
	"maps"
	"slices"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"
)

func TestListMachines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, d *Driver) map[string]string // the expected list
	}{
		{name: "empty", setup: func(*testing.T, *Driver) map[string]string { return map[string]string{} }},
		{name: "own cluster only, orphans included", setup: func(t *testing.T, d *Driver) map[string]string {
			d.Cloud().AddVM("b", "m1", "")
			d.Cloud().AddVM("b", "foreign", "")
			return map[string]string{
				mustCreate(t, d, "m1", specA):                                            "m1",
				mustCreate(t, d, "m2", specA):                                            "m2",
				d.Cloud().AddVM("a", "orphan", "zone-b"):                                 "orphan",
				mustCreate(t, d, "m3", `{"cluster":"a","size":"large","zone":"zone-c"}`): "m3",
			}
		}},
		{name: "vanished VMs are gone", setup: func(t *testing.T, d *Driver) map[string]string {
			d.Cloud().Remove(mustCreate(t, d, "m1", specA))
			return map[string]string{mustCreate(t, d, "m2", specA): "m2"}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := New(Options{})
			want := tc.setup(t, d)
			resp, err := d.ListMachines(t.Context(), &driver.ListMachinesRequest{MachineClass: class(specA), Secret: secret(DefaultToken)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.MachineList == nil || !maps.Equal(resp.MachineList, want) {
				t.Fatalf("list %v, want %v", resp.MachineList, want)
			}
		})
	}
}

func TestGetVolumeIDs(t *testing.T) {
	t.Parallel()
	csi := func(drv, handle string) *corev1.PersistentVolumeSpec {
		return &corev1.PersistentVolumeSpec{PersistentVolumeSource: corev1.PersistentVolumeSource{
			CSI: &corev1.CSIPersistentVolumeSource{Driver: drv, VolumeHandle: handle}}}
	}
	ebs := &corev1.PersistentVolumeSpec{PersistentVolumeSource: corev1.PersistentVolumeSource{
		AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "vol-ebs"}}}
	tests := []struct {
		name string
		pvs  []*corev1.PersistentVolumeSpec
		want []string
	}{
		{"none", nil, nil},
		{"memory CSI", []*corev1.PersistentVolumeSpec{csi(CSIDriver, "vol-1"), csi(CSIDriver, "vol-2")}, []string{"vol-1", "vol-2"}},
		{"others ignored", []*corev1.PersistentVolumeSpec{csi("ebs.csi.aws.com", "vol-x"), ebs, csi(CSIDriver, "vol-1"), nil, {}}, []string{"vol-1"}},
	}
	for _, tc := range tests {
		resp, err := New(Options{}).GetVolumeIDs(t.Context(), &driver.GetVolumeIDsRequest{PVSpecs: tc.pvs})
		if err != nil || !slices.Equal(resp.VolumeIDs, tc.want) {
			t.Errorf("%s: got %+v, %v; want %v", tc.name, resp, err, tc.want)
		}
	}
}
