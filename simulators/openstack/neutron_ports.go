package openstack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) portCollection() collection[port] {
	return collection[port]{name: "ports", id: func(p port) string { return p.ID },
		attrs: func(p port) map[string][]string {
			ips := []string{}
			for _, ip := range p.FixedIPs {
				ips = append(ips, "ip_address="+ip.IPAddress, "subnet_id="+ip.SubnetID)
			}
			return map[string][]string{"id": {p.ID}, "name": {p.Name}, "description": {p.Description},
				"network_id": {p.NetworkID}, "device_id": {p.DeviceID}, "device_owner": {p.DeviceOwner},
				"mac_address": {p.MAC}, "status": {portStatus(p)}, "admin_state_up": {"true"},
				"tenant_id": {s.opts.Project.ID}, "project_id": {s.opts.Project.ID}, "fixed_ips": ips,
				"security_groups": p.SecurityGroups}
		},
		tags:   func(p port) []string { return p.Tags },
		render: func(p port) any { return s.portJSON(p) }}
}

func portStatus(p port) string {
	if p.DeviceID == "" {
		return "DOWN"
	}
	return "ACTIVE"
}

func (s *Server) portJSON(p port) map[string]any {
	nz := func(v []string) []string {
		if v == nil {
			return []string{}
		}
		return v
	}
	pairs, ips := p.AllowedAddressPairs, p.FixedIPs
	if pairs == nil {
		pairs = []addressPair{}
	}
	if ips == nil {
		ips = []fixedIP{}
	}
	return map[string]any{"id": p.ID, "name": p.Name, "description": p.Description, "network_id": p.NetworkID,
		"tenant_id": s.opts.Project.ID, "project_id": s.opts.Project.ID, "mac_address": p.MAC, "admin_state_up": true,
		"status": portStatus(p), "device_id": p.DeviceID, "device_owner": p.DeviceOwner, "fixed_ips": ips,
		"allowed_address_pairs": pairs, "extra_dhcp_opts": []any{}, "security_groups": nz(p.SecurityGroups),
		"tags": nz(p.Tags), "binding:vnic_type": "normal", "port_security_enabled": true, "propagate_uplink_status": false,
		"revision_number": p.Revision, "created_at": stamp(p.Created, isoSeconds), "updated_at": stamp(p.Updated, isoSeconds)}
}

// portFields are the port attributes a client may send; the simulator
// keeps the ones portBody has and accepts the others as no-ops.
var portFields = []string{"network_id", "name", "description", "admin_state_up", "fixed_ips", "device_id", "device_owner",
	"security_groups", "allowed_address_pairs", "tags", "tenant_id", "project_id", "port_security_enabled",
	"propagate_uplink_status", "binding:vnic_type", "binding:host_id", "binding:profile", "dns_name", "qos_policy_id"}

type portBody struct {
	NetworkID           string         `json:"network_id"`
	Name                *string        `json:"name"`
	Description         *string        `json:"description"`
	FixedIPs            *[]fixedIP     `json:"fixed_ips"`
	DeviceID            *string        `json:"device_id"`
	DeviceOwner         *string        `json:"device_owner"`
	SecurityGroups      *[]string      `json:"security_groups"`
	AllowedAddressPairs *[]addressPair `json:"allowed_address_pairs"`
	Tags                *[]string      `json:"tags"`
}

// readPort decodes {"port": {...}}, refusing attributes Neutron does not know.
func readPort(c *call) (portBody, error) {
	var raw struct {
		Port map[string]json.RawMessage `json:"port"`
	}
	var p portBody
	if err := readJSON(c.r, &raw); err != nil {
		return p, err
	}
	if raw.Port == nil {
		return p, errorf(http.StatusBadRequest, "HTTPBadRequest", "Resource body required")
	}
	for k := range raw.Port {
		if !slices.Contains(portFields, k) {
			return p, errorf(http.StatusBadRequest, "HTTPBadRequest", "Unrecognized attribute(s) '%s'", k)
		}
	}
	b, _ := json.Marshal(raw.Port)
	if err := json.Unmarshal(b, &p); err != nil {
		return p, errorf(http.StatusBadRequest, "HTTPBadRequest", "Invalid input for operation: %v", err)
	}
	return p, nil
}

// groupIDs checks security group IDs; nil means the default group.
func (s *Server) groupIDs(ids *[]string) ([]string, error) {
	if ids == nil {
		if g, ok := s.securityGroup("default"); ok {
			return []string{g.ID}, nil
		}
		return nil, nil
	}
	for _, id := range *ids {
		if g, ok := s.securityGroup(id); !ok || g.ID != id {
			return nil, errorf(http.StatusNotFound, "SecurityGroupNotFound", "Security group %s does not exist", id)
		}
	}
	return slices.Clone(*ids), nil
}

func createPort(s *Server, c *call) (reply, error) {
	b, err := readPort(c)
	if err != nil {
		return reply{}, err
	}
	if b.NetworkID == "" {
		return reply{}, errorf(http.StatusBadRequest, "HTTPBadRequest", "Failed to parse request. Required attribute 'network_id' not specified")
	}
	groups, err := s.groupIDs(b.SecurityGroups)
	if err != nil {
		return reply{}, err
	}
	spec := portSpec{ID: s.cloud.NewUUID(), NetworkID: b.NetworkID, SecurityGroups: groups}
	deref(&spec.Name, b.Name)
	deref(&spec.Description, b.Description)
	deref(&spec.DeviceID, b.DeviceID)
	deref(&spec.DeviceOwner, b.DeviceOwner)
	if b.FixedIPs != nil {
		spec.FixedIPs = *b.FixedIPs
	}
	if b.AllowedAddressPairs != nil {
		spec.AllowedAddressPairs = *b.AllowedAddressPairs
	}
	if b.Tags != nil {
		if spec.Tags, err = checkTags(*b.Tags); err != nil {
			return reply{}, err
		}
	}
	p, aerr := s.ports.create(spec, s.cloud.Clock().Now(), s.opts.Quotas.Ports)
	if aerr != nil {
		return reply{}, aerr
	}
	return reply{status: http.StatusCreated, body: map[string]any{"port": s.portJSON(*p)}}, nil
}

func deref(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

func getPort(s *Server, c *call) (reply, error) {
	p, ok := s.ports.get(c.r.PathValue("id"))
	if !ok {
		return reply{}, portNotFound(c.r.PathValue("id"))
	}
	return reply{status: http.StatusOK, body: map[string]any{"port": s.portJSON(p)}}, nil
}

func listPorts(s *Server, c *call) (reply, error) {
	return s.portCollection().list(s, c, s.ports.list())
}

// updatePort answers PUT /ports/{id}; If-Match: revision_number=N is honoured.
func updatePort(s *Server, c *call) (reply, error) {
	b, err := readPort(c)
	if err != nil {
		return reply{}, err
	}
	if b.NetworkID != "" || b.FixedIPs != nil {
		return reply{}, errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement changing a port's network_id or fixed_ips")
	}
	var groups []string
	if b.SecurityGroups != nil {
		if groups, err = s.groupIDs(b.SecurityGroups); err != nil {
			return reply{}, err
		}
	}
	var tags []string
	if b.Tags != nil {
		if tags, err = checkTags(*b.Tags); err != nil {
			return reply{}, err
		}
	}
	want := strings.TrimPrefix(c.r.Header.Get("If-Match"), "revision_number=")
	p, aerr := s.ports.update(c.r.PathValue("id"), s.cloud.Clock().Now(), func(p *port) *apiError {
		if want != "" && want != fmt.Sprint(p.Revision) {
			return errorf(http.StatusPreconditionFailed, "RevisionNumberConstraintFailed",
				"Constrained to %s, but current revision is %d", want, p.Revision)
		}
		deref(&p.Name, b.Name)
		deref(&p.Description, b.Description)
		deref(&p.DeviceID, b.DeviceID)
		deref(&p.DeviceOwner, b.DeviceOwner)
		if b.SecurityGroups != nil {
			p.SecurityGroups = groups
		}
		if b.AllowedAddressPairs != nil {
			p.AllowedAddressPairs = *b.AllowedAddressPairs
		}
		if b.Tags != nil {
			p.Tags = tags
		}
		return nil
	})
	if aerr != nil {
		return reply{}, aerr
	}
	return reply{status: http.StatusOK, body: map[string]any{"port": s.portJSON(p)}}, nil
}

func deletePort(s *Server, c *call) (reply, error) {
	if !s.ports.delete(c.r.PathValue("id")) {
		return reply{}, portNotFound(c.r.PathValue("id"))
	}
	return reply{status: http.StatusNoContent}, nil
}
