package osdriver

import (
	"context"
	"strconv"
	"strings"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
)

// GetMachineStatus finds the machine's server by name among this
// cluster's: NotFound if there is none, OutOfRange if several carry the
// name.
func (d *Driver) GetMachineStatus(ctx context.Context, req *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	c, err := d.prepareFor(ctx, req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	found, err := c.serversNamed(ctx, c.machine)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, status.Error(codes.NotFound, "no server of cluster key "+c.spec.ClusterKey()+" is named "+c.machine)
	case 1:
		return &driver.GetMachineStatusResponse{ProviderID: ProviderID(c.region, found[0].ID), NodeName: found[0].Name}, nil
	}
	ids := make([]string, 0, len(found))
	for _, srv := range found {
		ids = append(ids, srv.ID)
	}
	return nil, status.Error(codes.OutOfRange, itoa(len(found))+" servers of cluster key "+c.spec.ClusterKey()+" are named "+c.machine+": "+strings.Join(ids, ", "))
}

// ListMachines maps the ProviderID of each of this cluster's servers to
// its name, the machine's, paging through Nova's list.
func (d *Driver) ListMachines(ctx context.Context, req *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	c, err := d.prepare(ctx, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	found, err := c.listServers(ctx, servers.ListOpts{}, func(servers.Server) bool { return true })
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(found))
	for _, srv := range found {
		out[ProviderID(c.region, srv.ID)] = srv.Name
	}
	return &driver.ListMachinesResponse{MachineList: out}, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
