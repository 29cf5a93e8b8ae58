package awsdriver

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// liveStates are the states of an instance that still exists for a machine.
var liveStates = []string{"pending", "running", "stopping", "stopped"}

// describe pages through DescribeInstances with filters.
func (c *call) describe(ctx context.Context, filters []types.Filter) ([]types.Instance, error) {
	var out []types.Instance
	p := ec2.NewDescribeInstancesPaginator(c.ec2, &ec2.DescribeInstancesInput{Filters: filters, MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, machineError("DescribeInstances", err)
		}
		for _, r := range page.Reservations {
			out = append(out, r.Instances...)
		}
	}
	return out, nil
}

// clusterFilters select this cluster's live instances.
func (c *call) clusterFilters() []types.Filter {
	return []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{clusterTag(c.spec.Tags)}},
		{Name: aws.String("tag-key"), Values: []string{roleTag(c.spec.Tags)}},
		{Name: aws.String("instance-state-name"), Values: liveStates},
	}
}

// instancesOf returns the cluster's live instances named name.
func (c *call) instancesOf(ctx context.Context, name string) ([]types.Instance, error) {
	return c.describe(ctx, append(c.clusterFilters(), types.Filter{Name: aws.String("tag:Name"), Values: []string{name}}))
}

// GetMachineStatus finds the machine's instance by its tags: NotFound if
// there is none, OutOfRange if several carry its name.
func (d *Driver) GetMachineStatus(ctx context.Context, req *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	c, name, err := d.prepareFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	found, err := c.instancesOf(ctx, name)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, status.Error(codes.NotFound, "no instance of cluster tag "+clusterTag(c.spec.Tags)+" named "+name)
	case 1:
		return &driver.GetMachineStatusResponse{ProviderID: providerIDOf(found[0]), NodeName: aws.ToString(found[0].PrivateDnsName)}, nil
	default:
		return nil, status.Error(codes.OutOfRange, "several instances are named "+name)
	}
}

// ListMachines maps the provider ID of each of the cluster's live instances
// to the machine name in its Name tag.
func (d *Driver) ListMachines(ctx context.Context, req *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	c, err := d.prepare(req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	found, err := c.describe(ctx, c.clusterFilters())
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(found))
	for _, inst := range found {
		name := ""
		for _, t := range inst.Tags {
			if aws.ToString(t.Key) == "Name" {
				name = aws.ToString(t.Value)
			}
		}
		out[providerIDOf(inst)] = name
	}
	return &driver.ListMachinesResponse{MachineList: out}, nil
}
