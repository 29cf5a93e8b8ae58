package altaws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// GetMachineStatus finds the machine's VM among the cluster's live VMs by
// its Name tag: NotFound for none, OutOfRange for several.
func (d *Driver) GetMachineStatus(ctx context.Context, req *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "GetMachineStatus: the request is nil")
	}
	c, err := d.prepareMachine(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	name := req.Machine.Name
	found, err := c.byName(ctx, name)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, status.Error(codes.NotFound, fmt.Sprintf("no live instance tagged %s=%s in cluster %s (tag %s)",
			TagName, name, c.spec.ClusterName, c.clusterTag()))
	case 1:
		return &driver.GetMachineStatusResponse{ProviderID: c.providerIDOf(found[0]), NodeName: aws.ToString(found[0].PrivateDnsName)}, nil
	}
	return nil, status.Error(codes.OutOfRange, fmt.Sprintf("%d live instances of cluster %s are tagged %s=%s: %s; the orphan sweep or a human must delete all but one",
		len(found), c.spec.ClusterName, TagName, name, strings.Join(ids(found), ", ")))
}
