package openstack

import "slices"

// Lookups in the static catalogue of Options: flavors, images, zones,
// networks and security groups.

func (s *Server) flavor(id string) (Flavor, bool) {
	for _, f := range s.opts.Flavors {
		if f.ID == id {
			return f, true
		}
	}
	return Flavor{}, false
}

func (s *Server) image(id string) (Image, bool) {
	for _, img := range s.opts.Images {
		if img.ID == id {
			return img, true
		}
	}
	return Image{}, false
}

// zone returns z, or the first zone when z is empty.
func (s *Server) zone(z string) (string, error) {
	if z == "" {
		return s.opts.Zones[0], nil
	}
	if !slices.Contains(s.opts.Zones, z) {
		return "", badRequest("The requested availability zone is not available")
	}
	return z, nil
}

func (s *Server) network(id string) (Network, bool) {
	for _, n := range s.opts.Networks {
		if n.ID == id {
			return n, true
		}
	}
	return Network{}, false
}

func (s *Server) securityGroup(nameOrID string) (SecurityGroup, bool) {
	for _, g := range s.opts.SecurityGroups {
		if g.ID == nameOrID || g.Name == nameOrID {
			return g, true
		}
	}
	return SecurityGroup{}, false
}

// securityGroups resolves the groups of a new server (by name or ID) to
// their names and IDs; none asked for means the project's "default" group.
func (s *Server) securityGroups(asked []struct {
	Name string `json:"name"`
}) ([]string, []string, error) {
	if len(asked) == 0 {
		if g, ok := s.securityGroup("default"); ok {
			return []string{g.Name}, []string{g.ID}, nil
		}
		return nil, nil, nil
	}
	var names, ids []string
	for _, a := range asked {
		g, ok := s.securityGroup(a.Name)
		if !ok {
			return nil, nil, badRequest("Security group %s not found.", a.Name)
		}
		names, ids = append(names, g.Name), append(ids, g.ID)
	}
	return names, ids, nil
}

// ownerUserID is the user servers and volumes show as their owner: the
// first of Options.Users (every user acts in the one project).
func (s *Server) ownerUserID() string {
	if len(s.opts.Users) == 0 {
		return ""
	}
	return s.opts.Users[0].ID
}
