package altaws

import (
	"context"
	"slices"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"
)

func TestGetVolumeIDs(t *testing.T) {
	t.Parallel()
	ebs := func(id string) *corev1.PersistentVolumeSpec {
		return &corev1.PersistentVolumeSpec{PersistentVolumeSource: corev1.PersistentVolumeSource{
			AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: id}}}
	}
	csi := func(drv, handle string) *corev1.PersistentVolumeSpec {
		return &corev1.PersistentVolumeSpec{PersistentVolumeSource: corev1.PersistentVolumeSource{
			CSI: &corev1.CSIPersistentVolumeSource{Driver: drv, VolumeHandle: handle}}}
	}
	nfs := &corev1.PersistentVolumeSpec{PersistentVolumeSource: corev1.PersistentVolumeSource{NFS: &corev1.NFSVolumeSource{Server: "s", Path: "/"}}}
	tests := []struct {
		name string
		pvs  []*corev1.PersistentVolumeSpec
		want []string
	}{
		{"none", nil, []string{}},
		{"in-tree with zone", []*corev1.PersistentVolumeSpec{ebs("aws://us-east-1a/vol-01")}, []string{"vol-01"}},
		{"in-tree bare", []*corev1.PersistentVolumeSpec{ebs("vol-02")}, []string{"vol-02"}},
		{"csi", []*corev1.PersistentVolumeSpec{csi("ebs.csi.aws.com", "vol-03")}, []string{"vol-03"}},
		{"others skipped", []*corev1.PersistentVolumeSpec{nil, nfs, csi("efs.csi.aws.com", "fs-1"), ebs("vol-04")}, []string{"vol-04"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			resp, err := New(Options{}).GetVolumeIDs(context.Background(), &driver.GetVolumeIDsRequest{PVSpecs: tc.pvs})
			if err != nil || resp.VolumeIDs == nil || !slices.Equal(resp.VolumeIDs, tc.want) {
				t.Fatalf("GetVolumeIDs = %v, %v; want %v", resp, err, tc.want)
			}
		})
	}
}
