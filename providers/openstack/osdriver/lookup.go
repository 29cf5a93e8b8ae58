package osdriver

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
)

// taskDeleting is Nova's task_state of a server whose deletion started.
const taskDeleting = "deleting"

// owned says whether srv is one of this cluster's live servers: it carries
// the spec's cluster and role metadata keys and is not being deleted.
func (c *call) owned(srv servers.Server) bool {
	_, cluster := srv.Metadata[c.spec.ClusterKey()]
	_, role := srv.Metadata[c.spec.RoleKey()]
	return cluster && role && srv.TaskState != taskDeleting && srv.Status != "DELETED" && srv.Status != "SOFT_DELETED"
}

// listServers pages through GET /servers/detail with opts and keeps this
// cluster's servers for which keep is true.
func (c *call) listServers(ctx context.Context, opts servers.ListOpts, keep func(servers.Server) bool) ([]servers.Server, error) {
	pages, err := servers.List(c.compute, opts).AllPages(ctx)
	if err != nil {
		return nil, machineError("listing servers", err)
	}
	all, err := servers.ExtractServers(pages)
	if err != nil {
		return nil, machineError("reading the server list", err)
	}
	var out []servers.Server
	for _, srv := range all {
		if c.owned(srv) && keep(srv) {
			out = append(out, srv)
		}
	}
	return out, nil
}

// serversNamed returns this cluster's servers named exactly name. Nova's
// name filter is a regular expression searched in the name, so it is
// given the literal name and only exact matches are kept.
func (c *call) serversNamed(ctx context.Context, name string) ([]servers.Server, error) {
	return c.listServers(ctx, servers.ListOpts{Name: name}, func(srv servers.Server) bool { return srv.Name == name })
}

// ownedServer returns the server id names if it is one of this cluster's
// live servers, nil if it is not or does not exist.
func (c *call) ownedServer(ctx context.Context, id string) (*servers.Server, error) {
	srv, err := servers.Get(ctx, c.compute, id).Extract()
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, machineError("reading server "+id, err)
	case !c.owned(*srv):
		return nil, nil
	}
	return srv, nil
}
