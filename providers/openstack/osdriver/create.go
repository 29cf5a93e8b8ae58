package osdriver

import (
	"context"
	"strings"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
)

// CreateMachine boots the machine's server on the machine's port, or
// returns the server it has (found by name, or by the port it is bound to
// while reads do not show it yet).
func (d *Driver) CreateMachine(ctx context.Context, req *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	c, err := d.prepareFor(ctx, req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	existing, err := c.serversNamed(ctx, c.machine)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return c.created(existing[len(existing)-1].ID, "found"), nil // the oldest: Nova lists newest first
	}
	r, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	port, err := c.ensurePort(ctx, r)
	if err != nil {
		return nil, err
	}
	if port.DeviceID != "" {
		return c.created(port.DeviceID, "found bound to port "+port.ID), nil
	}
	srv, err := servers.Create(ctx, c.compute, c.createOpts(r, port.ID), nil).Extract()
	if err != nil {
		// The answer may be lost after Nova made the server: the port says.
		bound, err := c.failedCreate(ctx, port.ID, machineError("creating the server of machine "+c.machine, err))
		if bound != "" {
			return c.created(bound, "created (answer lost)"), nil
		}
		return nil, err
	}
	return c.awaitBuild(ctx, d.opts.BuildTimeout, srv.ID, port.ID)
}

// failedCreate cleans up after POST /servers failed: the machine's port is
// deleted unless a server is bound to it, or its binding cannot be read.
// Then a retry starts afresh, and a lost answer leaves the port to find
// the server by.
// It returns the bound server's ID, if any, else err.
func (c *call) failedCreate(ctx context.Context, portID string, err error) (string, error) {
	bound, rerr := c.boundServer(ctx, portID)
	switch {
	case rerr != nil:
		return "", withNote(err, "; the port's binding could not be read, so port "+portID+" is kept: "+rerr.Error())
	case bound != "":
		return bound, nil
	}
	if derr := c.deletePorts(ctx, portID); derr != nil {
		return "", withNote(err, "; cleaning up: "+derr.Error())
	}
	return "", err
}

func (c *call) createOpts(r resolved, portID string) servers.CreateOptsBuilder {
	s := c.spec
	opts := servers.CreateOpts{Name: c.machine, FlavorRef: r.flavorID, ImageRef: r.imageID, AvailabilityZone: s.AvailabilityZone,
		Networks: []servers.Network{{Port: portID}}, Metadata: s.Tags, UserData: c.userData}
	if s.RootDiskSize > 0 {
		opts.ImageRef = ""
		opts.BlockDevice = []servers.BlockDevice{{SourceType: servers.SourceImage, UUID: r.imageID, BootIndex: 0,
			DestinationType: servers.DestinationVolume, VolumeSize: s.RootDiskSize, DeleteOnTermination: true}}
	}
	return keypairs.CreateOptsExt{CreateOptsBuilder: opts, KeyName: s.KeyName}
}

func (c *call) created(serverID, how string) *driver.CreateMachineResponse {
	return &driver.CreateMachineResponse{ProviderID: ProviderID(c.region, serverID), NodeName: c.machine,
		LastKnownState: "server " + serverID + " " + how}
}

// awaitBuild waits, with backoff, until the new server leaves BUILD. A
// server in ERROR is deleted with its port and reported: ResourceExhausted
// when Nova found no valid host, Internal otherwise. A server reads do not
// show yet, or still building after timeout, is returned as it is.
func (c *call) awaitBuild(ctx context.Context, timeout time.Duration, id, portID string) (*driver.CreateMachineResponse, error) {
	if timeout == 0 {
		timeout = DefaultBuildTimeout
	}
	deadline := time.Now().Add(timeout)
	for delay := 100 * time.Millisecond; ; delay = min(2*delay, 5*time.Second) {
		select {
		case <-ctx.Done():
			return c.created(id, "created, still building"), nil
		case <-time.After(delay):
		}
		srv, err := servers.Get(ctx, c.compute, id).Extract()
		switch {
		case isNotFound(err):
			return c.created(id, "created (not yet visible)"), nil
		case err != nil:
			return nil, machineError("reading new server "+id, err)
		case srv.Status == "ERROR":
			return nil, c.discard(ctx, id, portID, srv.Fault.Message)
		case srv.Status != "BUILD":
			return c.created(id, "created, "+srv.Status), nil
		case time.Now().After(deadline):
			return c.created(id, "created, still building"), nil
		}
	}
}

// DefaultBuildTimeout is how long CreateMachine waits for a server to
// leave BUILD when Options.BuildTimeout is zero.
const DefaultBuildTimeout = 5 * time.Minute

// discard deletes a server that failed to build, and its port.
func (c *call) discard(ctx context.Context, id, portID, fault string) error {
	code := codes.Internal
	if strings.Contains(fault, "No valid host") {
		code = codes.ResourceExhausted
	}
	msg := "server " + id + " of machine " + c.machine + " failed to build (" + fault + ")"
	if err := servers.Delete(ctx, c.compute, id).ExtractErr(); err != nil && !isNotFound(err) {
		return status.Error(code, msg+"; deleting it failed: "+machineError("deleting server "+id, err).Error())
	}
	if err := c.deletePorts(ctx, portID); err != nil {
		return status.Error(code, msg+"; it was deleted, its port not: "+err.Error())
	}
	return status.Error(code, msg+"; it was deleted")
}
