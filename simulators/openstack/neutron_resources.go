package openstack

import (
	"net/http"
)

// Networks, subnets and security groups are the static catalogue of
// Options: Neutron lists and shows them; creating them is not implemented.

func (s *Server) networkCollection() collection[Network] {
	return collection[Network]{name: "networks", id: func(n Network) string { return n.ID },
		attrs: func(n Network) map[string][]string {
			return map[string][]string{"id": {n.ID}, "name": {n.Name}, "status": {"ACTIVE"}, "shared": {"false"},
				"admin_state_up": {"true"}, "router:external": {"false"}, "tenant_id": {s.opts.Project.ID},
				"project_id": {s.opts.Project.ID}, "description": {""}}
		},
		tags: func(Network) []string { return nil },
		render: func(n Network) any {
			subnets := []string{}
			for _, sn := range n.Subnets {
				subnets = append(subnets, sn.ID)
			}
			return map[string]any{"id": n.ID, "name": n.Name, "status": "ACTIVE", "subnets": subnets, "shared": false,
				"admin_state_up": true, "router:external": false, "tenant_id": s.opts.Project.ID, "project_id": s.opts.Project.ID,
				"mtu": 1450, "description": "", "tags": []string{}, "availability_zone_hints": []string{},
				"port_security_enabled": true, "revision_number": 1, "created_at": stamp(imageEpoch, isoSeconds), "updated_at": stamp(imageEpoch, isoSeconds)}
		}}
}

func listNetworks(s *Server, c *call) (reply, error) {
	return s.networkCollection().list(s, c, append([]Network(nil), s.opts.Networks...))
}

func getNetwork(s *Server, c *call) (reply, error) {
	n, ok := s.network(c.r.PathValue("id"))
	if !ok {
		return reply{}, errorf(http.StatusNotFound, "NetworkNotFound", "Network %s could not be found.", c.r.PathValue("id"))
	}
	return reply{status: http.StatusOK, body: map[string]any{"network": s.networkCollection().render(n)}}, nil
}

// subnetOf pairs a subnet with its network.
type subnetOf struct {
	Subnet
	networkID string
}

func (s *Server) subnets() []subnetOf {
	var out []subnetOf
	for _, n := range s.opts.Networks {
		for _, sn := range n.Subnets {
			out = append(out, subnetOf{sn, n.ID})
		}
	}
	return out
}

func (s *Server) subnetCollection() collection[subnetOf] {
	return collection[subnetOf]{name: "subnets", id: func(sn subnetOf) string { return sn.ID },
		attrs: func(sn subnetOf) map[string][]string {
			return map[string][]string{"id": {sn.ID}, "name": {sn.Name}, "network_id": {sn.networkID}, "cidr": {sn.CIDR},
				"gateway_ip": {sn.GatewayIP}, "ip_version": {"4"}, "enable_dhcp": {"true"},
				"tenant_id": {s.opts.Project.ID}, "project_id": {s.opts.Project.ID}}
		},
		tags: func(subnetOf) []string { return nil },
		render: func(sn subnetOf) any {
			return map[string]any{"id": sn.ID, "name": sn.Name, "network_id": sn.networkID, "cidr": sn.CIDR,
				"gateway_ip": sn.GatewayIP, "ip_version": 4, "enable_dhcp": true, "dns_nameservers": []string{},
				"allocation_pools": []map[string]string{}, "host_routes": []string{}, "tenant_id": s.opts.Project.ID,
				"project_id": s.opts.Project.ID, "description": "", "tags": []string{}, "revision_number": 1}
		}}
}

func listSubnets(s *Server, c *call) (reply, error) {
	return s.subnetCollection().list(s, c, s.subnets())
}

func getSubnet(s *Server, c *call) (reply, error) {
	for _, sn := range s.subnets() {
		if sn.ID == c.r.PathValue("id") {
			return reply{status: http.StatusOK, body: map[string]any{"subnet": s.subnetCollection().render(sn)}}, nil
		}
	}
	return reply{}, errorf(http.StatusNotFound, "SubnetNotFound", "Subnet %s could not be found.", c.r.PathValue("id"))
}

func (s *Server) groupCollection() collection[SecurityGroup] {
	return collection[SecurityGroup]{name: "security_groups", id: func(g SecurityGroup) string { return g.ID },
		attrs: func(g SecurityGroup) map[string][]string {
			return map[string][]string{"id": {g.ID}, "name": {g.Name}, "description": {""}, "stateful": {"true"},
				"tenant_id": {s.opts.Project.ID}, "project_id": {s.opts.Project.ID}}
		},
		tags: func(SecurityGroup) []string { return nil },
		render: func(g SecurityGroup) any {
			return map[string]any{"id": g.ID, "name": g.Name, "description": "", "stateful": true,
				"security_group_rules": []any{}, "tenant_id": s.opts.Project.ID, "project_id": s.opts.Project.ID,
				"tags": []string{}, "revision_number": 1}
		}}
}

func listSecurityGroups(s *Server, c *call) (reply, error) {
	return s.groupCollection().list(s, c, append([]SecurityGroup(nil), s.opts.SecurityGroups...))
}

func getSecurityGroup(s *Server, c *call) (reply, error) {
	for _, g := range s.opts.SecurityGroups {
		if g.ID == c.r.PathValue("id") {
			return reply{status: http.StatusOK, body: map[string]any{"security_group": s.groupCollection().render(g)}}, nil
		}
	}
	return reply{}, errorf(http.StatusNotFound, "SecurityGroupNotFound", "Security group %s does not exist", c.r.PathValue("id"))
}
