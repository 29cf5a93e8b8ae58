package openstack

import (
	"encoding/json"
	"net/http"
)

// nic is one network attachment a new server asks for.
type nic struct{ networkID, portID, fixedIP string }

// plannedNICs reads the networks of a create request as Nova does: absent
// means the project's only network (409 when there are several), "none"
// means none, "auto" the first network.
func (s *Server) plannedNICs(raw json.RawMessage) ([]nic, error) {
	var keyword string
	if json.Unmarshal(raw, &keyword) == nil || len(raw) == 0 || string(raw) == "null" {
		switch {
		case keyword == "none":
			return nil, nil
		case len(s.opts.Networks) == 0:
			return nil, nil
		case keyword == "" && len(s.opts.Networks) > 1:
			return nil, errorf(http.StatusConflict, "NetworkAmbiguous", "Multiple possible networks found, use a Network ID to be more specific.")
		case keyword == "" || keyword == "auto":
			return []nic{{networkID: s.opts.Networks[0].ID}}, nil
		}
		return nil, badRequest("Invalid input for field/attribute networks. Value: %s. %q is not one of ['none', 'auto']", raw, keyword)
	}
	var asked []struct {
		UUID    string `json:"uuid"`
		Port    string `json:"port"`
		FixedIP string `json:"fixed_ip"`
	}
	if err := json.Unmarshal(raw, &asked); err != nil {
		return nil, badRequest("Invalid input for field/attribute networks. Value: %s. %v", raw, err)
	}
	var out []nic
	for _, a := range asked {
		n := nic{networkID: a.UUID, portID: a.Port, fixedIP: a.FixedIP}
		if a.Port != "" {
			p, ok := s.ports.get(a.Port)
			if !ok {
				return nil, badRequest("Port id %s could not be found.", a.Port)
			}
			if n.networkID == "" {
				n.networkID = p.NetworkID
			}
		}
		if _, ok := s.network(n.networkID); !ok {
			return nil, badRequest("Network %s could not be found.", n.networkID)
		}
		out = append(out, n)
	}
	return out, nil
}

// plugNICs binds the ports a new server asked for and creates the others,
// returning the server's addresses and how to undo it all.
func (s *Server) plugNICs(serverID, zone string, nics []nic, groupIDs []string) ([]serverAddress, []func(), error) {
	var addrs []serverAddress
	var undo []func()
	now := s.cloud.Clock().Now()
	for _, n := range nics {
		net, _ := s.network(n.networkID)
		if n.portID != "" {
			p, err := s.ports.update(n.portID, now, func(p *port) *apiError {
				if p.DeviceID != "" {
					return errorf(http.StatusConflict, "PortInUse", "Port %s is still in use.", p.ID)
				}
				p.DeviceID, p.DeviceOwner = serverID, "compute:"+zone
				return nil
			})
			if err != nil {
				return addrs, undo, err
			}
			undo = append(undo, func() { s.unbindPort(p.ID) })
			addrs = append(addrs, addressOf(net.Name, p, false))
			continue
		}
		spec := portSpec{ID: s.cloud.NewUUID(), NetworkID: n.networkID, DeviceID: serverID,
			DeviceOwner: "compute:" + zone, SecurityGroups: groupIDs}
		if n.fixedIP != "" {
			spec.FixedIPs = []fixedIP{{IPAddress: n.fixedIP}}
		}
		p, err := s.ports.create(spec, now, s.opts.Quotas.Ports)
		if err != nil {
			if err.Type == "OverQuota" {
				return addrs, undo, errorf(http.StatusForbidden, FaultQuotaExceeded, "Maximum number of ports exceeded")
			}
			return addrs, undo, badRequest("%s", err.Message)
		}
		undo = append(undo, func() { s.ports.delete(p.ID) })
		addrs = append(addrs, addressOf(net.Name, *p, true))
	}
	return addrs, undo, nil
}

func addressOf(network string, p port, owned bool) serverAddress {
	a := serverAddress{Network: network, MAC: p.MAC, PortID: p.ID, Owned: owned}
	if len(p.FixedIPs) > 0 {
		a.IP = p.FixedIPs[0].IPAddress
	}
	return a
}

// unbindPort detaches a port the user created from its server.
func (s *Server) unbindPort(id string) {
	_, _ = s.ports.update(id, s.cloud.Clock().Now(), func(p *port) *apiError {
		p.DeviceID, p.DeviceOwner = "", ""
		return nil
	})
}

// unplugNICs is Nova's network cleanup when a server is deleted: the ports
// it created go, the ports the user gave are unbound.
func (s *Server) unplugNICs(addrs []serverAddress) {
	for _, a := range addrs {
		if a.Owned {
			s.ports.delete(a.PortID)
		} else {
			s.unbindPort(a.PortID)
		}
	}
}
