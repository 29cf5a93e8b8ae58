package osdriver

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
)

// The machine's port is named after the machine; its description is the
// cluster's metadata key, so two clusters' machines of one name never share
// a port. Both are set in the create call, so a port is never seen
// half-labelled.

// machinePorts lists the ports of this cluster named after the machine.
func (c *call) machinePorts(ctx context.Context) ([]ports.Port, error) {
	pages, err := ports.List(c.network, ports.ListOpts{Name: c.machine, Description: c.spec.ClusterKey()}).AllPages(ctx)
	if err != nil {
		return nil, machineError("listing the ports of machine "+c.machine, err)
	}
	found, err := ports.ExtractPorts(pages)
	if err != nil {
		return nil, machineError("reading the ports of machine "+c.machine, err)
	}
	return found, nil
}

// ensurePort returns the machine's port, creating it if it has none.
func (c *call) ensurePort(ctx context.Context, r resolved) (ports.Port, error) {
	found, err := c.machinePorts(ctx)
	if err != nil || len(found) > 0 {
		return firstPort(found), err
	}
	opts := ports.CreateOpts{NetworkID: r.networkID, Name: c.machine, Description: c.spec.ClusterKey()}
	if len(r.securityGroupIDs) > 0 {
		opts.SecurityGroups = &r.securityGroupIDs
	}
	if c.spec.SubnetID != "" {
		opts.FixedIPs = []ports.IP{{SubnetID: c.spec.SubnetID}}
	}
	p, err := ports.Create(ctx, c.network, opts).Extract()
	if err != nil {
		return ports.Port{}, machineError("creating the port of machine "+c.machine, err)
	}
	return *p, nil
}

// firstPort prefers a bound port: it tells which server the machine has.
func firstPort(found []ports.Port) ports.Port {
	for _, p := range found {
		if p.DeviceID != "" {
			return p
		}
	}
	if len(found) == 0 {
		return ports.Port{}
	}
	return found[0]
}

// boundServer re-reads the port and returns the server it is bound to, ""
// if none (or the port is gone).
func (c *call) boundServer(ctx context.Context, portID string) (string, error) {
	p, err := ports.Get(ctx, c.network, portID).Extract()
	switch {
	case isNotFound(err):
		return "", nil
	case err != nil:
		return "", machineError("reading port "+portID, err)
	}
	return p.DeviceID, nil
}

// deletePorts deletes the given ports; ones already gone are fine.
func (c *call) deletePorts(ctx context.Context, ids ...string) error {
	for _, id := range ids {
		if err := ports.Delete(ctx, c.network, id).ExtractErr(); err != nil && !isNotFound(err) {
			return machineError("deleting port "+id+" of machine "+c.machine, err)
		}
	}
	return nil
}
