package osdriver

import (
	"context"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
)

// DeleteMachine deletes the machine's servers (the one its ProviderID
// names, if it is this cluster's, and any of this cluster's carrying its
// name) and then its port. Nothing to delete is not an error; it does not
// wait for Nova to finish, since servers being deleted count as gone.
func (d *Driver) DeleteMachine(ctx context.Context, req *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	c, err := d.prepareFor(ctx, req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	if id, ok := ServerID(req.Machine.Spec.ProviderID); ok {
		srv, err := c.ownedServer(ctx, id)
		if err != nil {
			return nil, err
		}
		if srv != nil {
			ids[srv.ID] = true
		}
	}
	named, err := c.serversNamed(ctx, c.machine)
	if err != nil {
		return nil, err
	}
	for _, srv := range named {
		ids[srv.ID] = true
	}
	for id := range ids {
		if err := servers.Delete(ctx, c.compute, id).ExtractErr(); err != nil && !isNotFound(err) {
			return nil, machineError("deleting server "+id+" of machine "+c.machine, err)
		}
	}
	ports, err := c.machinePorts(ctx)
	if err != nil {
		return nil, err
	}
	var portIDs []string
	for _, p := range ports {
		stale, err := c.staleBinding(ctx, p.DeviceID, ids)
		if err != nil {
			return nil, err
		}
		if stale {
			portIDs = append(portIDs, p.ID)
		}
	}
	if err := c.deletePorts(ctx, portIDs...); err != nil {
		return nil, err
	}
	return &driver.DeleteMachineResponse{LastKnownState: "deleted " + itoa(len(ids)) + " server(s), " + itoa(len(portIDs)) + " port(s)"}, nil
}

// staleBinding says whether a machine port bound to device may go: it is
// unbound, bound to a server this call deleted, or to one that is gone or
// being deleted. A port of a server that lives on (one reads showed only
// by ID) is kept, or that server would lose its network.
func (c *call) staleBinding(ctx context.Context, device string, deleted map[string]bool) (bool, error) {
	if device == "" || deleted[device] {
		return true, nil
	}
	srv, err := servers.Get(ctx, c.compute, device).Extract()
	switch {
	case isNotFound(err):
		return true, nil
	case err != nil:
		return false, machineError("reading server "+device+" bound to the port of machine "+c.machine, err)
	}
	return srv.TaskState == taskDeleting, nil
}
