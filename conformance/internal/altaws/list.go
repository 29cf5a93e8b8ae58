package altaws

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// ListMachines maps the ProviderID of every live VM of the class's cluster
// to its Name tag, reading every page of DescribeInstances.
func (d *Driver) ListMachines(ctx context.Context, req *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "ListMachines: the request is nil")
	}
	c, err := d.prepare(req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	found, err := c.describe(ctx, "cluster "+c.spec.ClusterName, c.clusterFilters())
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(found))
	for _, inst := range found {
		out[c.providerIDOf(inst)] = tagValue(inst, TagName)
	}
	return &driver.ListMachinesResponse{MachineList: out}, nil
}
