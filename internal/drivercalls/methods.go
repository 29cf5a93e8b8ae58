package drivercalls

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
)

var _ driver.Driver = (*recorder)(nil)

func (r *recorder) CreateMachine(ctx context.Context, req *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	resp, err := r.d.CreateMachine(ctx, req)
	r.note("CreateMachine", req.Machine, req.MachineClass, err)
	return resp, err
}

func (r *recorder) InitializeMachine(ctx context.Context, req *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	resp, err := r.d.InitializeMachine(ctx, req)
	r.note("InitializeMachine", req.Machine, req.MachineClass, err)
	return resp, err
}

func (r *recorder) DeleteMachine(ctx context.Context, req *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	resp, err := r.d.DeleteMachine(ctx, req)
	r.note("DeleteMachine", req.Machine, req.MachineClass, err)
	return resp, err
}

func (r *recorder) GetMachineStatus(ctx context.Context, req *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	resp, err := r.d.GetMachineStatus(ctx, req)
	r.note("GetMachineStatus", req.Machine, req.MachineClass, err)
	return resp, err
}

func (r *recorder) ListMachines(ctx context.Context, req *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	resp, err := r.d.ListMachines(ctx, req)
	r.note("ListMachines", nil, req.MachineClass, err)
	return resp, err
}

func (r *recorder) GetVolumeIDs(ctx context.Context, req *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	resp, err := r.d.GetVolumeIDs(ctx, req)
	r.note("GetVolumeIDs", nil, nil, err)
	return resp, err
}
