package openstack

import (
	"net/http"
	"strconv"
	"strings"
)

func flavorJSON(base string, f Flavor, detail bool) map[string]any {
	out := map[string]any{"id": f.ID, "name": f.Name, "links": []link{
		{Rel: "self", Href: base + computePath + "/flavors/" + f.ID}, {Rel: "bookmark", Href: base + "/compute/flavors/" + f.ID}}}
	if detail {
		out["vcpus"], out["ram"], out["disk"], out["swap"] = f.VCPUs, f.RAM, f.Disk, ""
		out["OS-FLV-EXT-DATA:ephemeral"], out["OS-FLV-DISABLED:disabled"] = 0, false
		out["os-flavor-access:is_public"], out["rxtx_factor"] = true, 1.0
	}
	return out
}

// listFlavors answers GET /flavors and /flavors/detail, filtered by minRam
// and minDisk, paged by limit and marker in the order of Options.Flavors.
func listFlavors(s *Server, c *call) (reply, error) {
	q := c.r.URL.Query()
	minRAM, _ := strconv.Atoi(q.Get("minRam"))
	minDisk, _ := strconv.Atoi(q.Get("minDisk"))
	limit, err := pageLimit(q)
	if err != nil {
		return reply{}, err
	}
	flavors := s.opts.Flavors
	if m := q.Get("marker"); m != "" {
		i := 0
		for i < len(flavors) && flavors[i].ID != m {
			i++
		}
		if i == len(flavors) {
			return reply{}, badRequest("marker [%s] not found", m)
		}
		flavors = flavors[i+1:]
	}
	base, detail := s.baseURL(c.r), strings.HasSuffix(c.r.URL.Path, "/detail")
	items := []any{}
	last := ""
	for _, f := range flavors {
		if f.RAM >= minRAM && f.Disk >= minDisk && len(items) < limit {
			items = append(items, flavorJSON(base, f, detail))
			last = f.ID
		}
	}
	body := map[string]any{"flavors": items}
	if len(items) == limit {
		body["flavors_links"] = []link{{Rel: "next", Href: nextPage(base+c.r.URL.Path, q, limit, last)}}
	}
	return reply{status: http.StatusOK, body: body}, nil
}

func getFlavor(s *Server, c *call) (reply, error) {
	f, ok := s.flavor(c.r.PathValue("id"))
	if !ok {
		return reply{}, errorf(http.StatusNotFound, "FlavorNotFound", "Flavor %s could not be found.", c.r.PathValue("id"))
	}
	return reply{status: http.StatusOK, body: map[string]any{"flavor": flavorJSON(s.baseURL(c.r), f, true)}}, nil
}

// listZones answers GET /os-availability-zone.
func listZones(s *Server, _ *call) (reply, error) {
	zones := make([]any, 0, len(s.opts.Zones))
	for _, z := range s.opts.Zones {
		zones = append(zones, map[string]any{"zoneName": z, "zoneState": map[string]bool{"available": true}, "hosts": nil})
	}
	return reply{status: http.StatusOK, body: map[string]any{"availabilityZoneInfo": zones}}, nil
}
