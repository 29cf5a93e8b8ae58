package altaws

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// DeleteMachine terminates the machine's VMs. With a ProviderID it takes
// the instance it names, if that carries the cluster's tag; without one,
// or when that instance is gone or not the cluster's, every live VM of the
// cluster tagged with the machine's name. Nothing to delete is OK.
func (d *Driver) DeleteMachine(ctx context.Context, req *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "DeleteMachine: the request is nil")
	}
	c, err := d.prepareMachine(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	name := req.Machine.Name
	var found []types.Instance
	if id, ok := InstanceID(req.Machine.Spec.ProviderID); ok {
		if found, err = c.byID(ctx, id); err != nil {
			return nil, err
		}
	}
	if len(found) == 0 {
		if found, err = c.byName(ctx, name); err != nil {
			return nil, err
		}
	}
	if len(found) == 0 {
		return &driver.DeleteMachineResponse{LastKnownState: "no live instance of machine " + name}, nil
	}
	_, err = c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids(found)})
	if err != nil && !isNotFound(err) {
		return nil, c.fail(fmt.Sprintf("TerminateInstances for machine %s (%s)", name, strings.Join(ids(found), ", ")), err)
	}
	return &driver.DeleteMachineResponse{LastKnownState: "terminated " + strings.Join(ids(found), ", ")}, nil
}
