package awsdriver

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
)

// DeleteMachine terminates the machine's instances: the one its provider ID
// names, if it carries this cluster's tag, and any carrying its name. An
// instance that does not exist is not an error.
func (d *Driver) DeleteMachine(ctx context.Context, req *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	c, name, err := d.prepareFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	if id, ok := InstanceID(req.Machine.Spec.ProviderID); ok {
		byID, err := c.describeOwned(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, inst := range byID {
			ids[aws.ToString(inst.InstanceId)] = true
		}
	}
	byName, err := c.instancesOf(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, inst := range byName {
		ids[aws.ToString(inst.InstanceId)] = true
	}
	if len(ids) == 0 {
		return &driver.DeleteMachineResponse{LastKnownState: "no instance"}, nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	if _, err := c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: list}); err != nil && !isNotFound(err) {
		return nil, machineError("TerminateInstances", err)
	}
	return &driver.DeleteMachineResponse{LastKnownState: "terminated"}, nil
}

// describeOwned returns instance id if it is live and carries this
// cluster's tag; nothing if it does not exist.
func (c *call) describeOwned(ctx context.Context, id string) ([]types.Instance, error) {
	out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}, Filters: c.clusterFilters()})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, machineError("DescribeInstances", err)
	}
	var found []types.Instance
	for _, r := range out.Reservations {
		found = append(found, r.Instances...)
	}
	return found, nil
}
