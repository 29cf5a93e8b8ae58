package altaws

import (
	"context"
	"strings"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// ebsCSIDriver is the name of the EBS CSI driver.
const ebsCSIDriver = "ebs.csi.aws.com"

// GetVolumeIDs returns the EBS volume IDs among the PVs: in-tree
// awsElasticBlockStore volumes (aws://<zone>/vol-... or vol-...) and CSI
// volumes of the EBS driver. Other volumes are not EC2's and are skipped.
func (d *Driver) GetVolumeIDs(_ context.Context, req *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "GetVolumeIDs: the request is nil")
	}
	ids := []string{}
	for _, pv := range req.PVSpecs {
		switch {
		case pv == nil:
		case pv.AWSElasticBlockStore != nil:
			v := pv.AWSElasticBlockStore.VolumeID
			ids = append(ids, v[strings.LastIndex(v, "/")+1:])
		case pv.CSI != nil && pv.CSI.Driver == ebsCSIDriver:
			ids = append(ids, pv.CSI.VolumeHandle)
		}
	}
	return &driver.GetVolumeIDsResponse{VolumeIDs: ids}, nil
}
