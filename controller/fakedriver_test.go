package controller

import (
	"context"
	"sync"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// fakeDriver is a driver.Driver whose methods are swappable functions; an
// unset function answers Unimplemented. It counts calls per method.
type fakeDriver struct {
	CreateFn     func(*driver.CreateMachineRequest) (*driver.CreateMachineResponse, error)
	InitializeFn func(*driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error)
	DeleteFn     func(*driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error)
	StatusFn     func(*driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error)
	ListFn       func(*driver.ListMachinesRequest) (*driver.ListMachinesResponse, error)

	mu    sync.Mutex
	calls map[operation]int
}

var _ driver.Driver = (*fakeDriver)(nil)

func (f *fakeDriver) count(op operation) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[operation]int{}
	}
	f.calls[op]++
}

func (f *fakeDriver) Calls(op operation) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func unimplemented() error { return status.Error(codes.Unimplemented, "not implemented by fakeDriver") }

func (f *fakeDriver) CreateMachine(_ context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	f.count(opCreate)
	if f.CreateFn == nil {
		return nil, unimplemented()
	}
	return f.CreateFn(r)
}

func (f *fakeDriver) InitializeMachine(_ context.Context, r *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	f.count(opInitialize)
	if f.InitializeFn == nil {
		return nil, unimplemented()
	}
	return f.InitializeFn(r)
}

func (f *fakeDriver) DeleteMachine(_ context.Context, r *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	f.count(opDelete)
	if f.DeleteFn == nil {
		return nil, unimplemented()
	}
	return f.DeleteFn(r)
}

func (f *fakeDriver) GetMachineStatus(_ context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	f.count(opStatus)
	if f.StatusFn == nil {
		return nil, status.Error(codes.NotFound, "no VM")
	}
	return f.StatusFn(r)
}

func (f *fakeDriver) ListMachines(_ context.Context, r *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	f.count(opList)
	if f.ListFn == nil {
		return nil, unimplemented()
	}
	return f.ListFn(r)
}

func (f *fakeDriver) GetVolumeIDs(context.Context, *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	return nil, unimplemented()
}
