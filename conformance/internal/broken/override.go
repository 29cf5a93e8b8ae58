package broken

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
)

// override is a driver whose methods default to the wrapped one; a set
// function replaces its method.
type override struct {
	driver.Driver
	create func(context.Context, *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error)
	delete func(context.Context, *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error)
	status func(context.Context, *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error)
	list   func(context.Context, *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error)
}

func (o *override) CreateMachine(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	if o.create != nil {
		return o.create(ctx, r)
	}
	return o.Driver.CreateMachine(ctx, r)
}

func (o *override) DeleteMachine(ctx context.Context, r *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	if o.delete != nil {
		return o.delete(ctx, r)
	}
	return o.Driver.DeleteMachine(ctx, r)
}

func (o *override) GetMachineStatus(ctx context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	if o.status != nil {
		return o.status(ctx, r)
	}
	return o.Driver.GetMachineStatus(ctx, r)
}

func (o *override) ListMachines(ctx context.Context, r *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	if o.list != nil {
		return o.list(ctx, r)
	}
	return o.Driver.ListMachines(ctx, r)
}
