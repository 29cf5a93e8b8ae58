package openstack

type catalogEntry struct {
	ID        string     `json:"id"`
	Type      string     `json:"type"`
	Name      string     `json:"name"`
	Endpoints []endpoint `json:"endpoints"`
}

type endpoint struct {
	ID        string `json:"id"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	RegionID  string `json:"region_id"`
	URL       string `json:"url"`
}

// catalog lists every service at base, on the public, internal and admin
// interfaces of Options.Region.
func (s *Server) catalog(base string) []catalogEntry {
	services := []struct{ id, typ, name, url string }{
		{"c0000000000000000000000000000001", "compute", "nova", base + computePath},
		{"c0000000000000000000000000000002", "network", "neutron", base + networkPath},
		{"c0000000000000000000000000000003", "volumev3", "cinderv3", base + volumePath + "/" + s.opts.Project.ID},
		{"c0000000000000000000000000000004", "image", "glance", base + imagePath},
		{"c0000000000000000000000000000005", "identity", "keystone", base + "/v3"},
	}
	out := make([]catalogEntry, 0, len(services))
	for _, svc := range services {
		e := catalogEntry{ID: svc.id, Type: svc.typ, Name: svc.name}
		for i, iface := range []string{"public", "internal", "admin"} {
			e.Endpoints = append(e.Endpoints, endpoint{ID: svc.id[:31] + string(rune('a'+i)), Interface: iface,
				Region: s.opts.Region, RegionID: s.opts.Region, URL: svc.url})
		}
		out = append(out, e)
	}
	return out
}
