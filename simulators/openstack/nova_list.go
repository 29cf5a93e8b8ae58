package openstack

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// maxLimit is Nova's (and Neutron's, Cinder's) api max_limit: the longest
// page, also when the client asks for none or more.
const maxLimit = 1000

// unfilterable are list filters Nova has and the simulator does not: a
// driver that uses them fails loudly instead of getting everything.
var unfilterable = []string{"ip", "ip6", "tags", "tags-any", "not-tags", "not-tags-any", "changes-since",
	"changes-before", "host", "node", "deleted", "sort_key", "sort_dir", "locked", "config_drive", "user_id"}

// listServers answers GET /servers and /servers/detail. Filters: name
// (a regular expression, searched), status, flavor, image,
// availability_zone; paging by limit and marker, newest first, with a
// servers_links next link on every full page, as Nova pages.
func listServers(s *Server, c *call) (reply, error) {
	q := c.r.URL.Query()
	for _, k := range unfilterable {
		if q.Has(k) {
			return reply{}, errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement the server list filter %q", k)
		}
	}
	limit, err := pageLimit(q)
	if err != nil {
		return reply{}, err
	}
	keep := func(vm core.VM) bool {
		st := s.stateOf(vm)
		return !st.gone && (q.Get("status") == "" || strings.EqualFold(q.Get("status"), st.status)) &&
			(q.Get("flavor") == "" || q.Get("flavor") == vm.Attrs[attrFlavorID]) &&
			(q.Get("image") == "" || q.Get("image") == vm.ImageID) &&
			(q.Get("availability_zone") == "" || q.Get("availability_zone") == vm.Zone)
	}
	var vms []core.VM
	if q.Has("name") {
		for _, id := range s.names.search(s.cloud, q.Get("name")) {
			if vm, err := s.cloud.Get(id); err == nil && keep(vm) {
				vms = append(vms, vm)
			}
		}
	} else {
		vms = s.cloud.List(keep)
	}
	sort.Slice(vms, func(i, j int) bool { return newerServer(vms[i], vms[j]) })
	if m := q.Get("marker"); m != "" {
		marker, err := s.cloud.Get(m)
		if err != nil {
			return reply{}, badRequest("marker [%s] not found", m)
		}
		vms = vms[sort.Search(len(vms), func(i int) bool { return newerServer(marker, vms[i]) }):]
	}
	page := vms[:min(limit, len(vms))]
	detail := strings.HasSuffix(c.r.URL.Path, "/detail")
	base := s.baseURL(c.r)
	items := make([]any, 0, len(page))
	for _, vm := range page {
		if detail {
			items = append(items, s.serverView(base, vm, s.stateOf(vm), c.micro))
		} else {
			items = append(items, serverSummary(base, vm))
		}
	}
	body := map[string]any{"servers": items}
	if len(page) == limit {
		body["servers_links"] = []link{{Rel: "next", Href: nextPage(base+c.r.URL.Path, q, limit, page[len(page)-1].ID)}}
	}
	return reply{status: http.StatusOK, body: body}, nil
}

// newerServer orders servers as Nova lists them: created_at, then id, descending.
func newerServer(a, b core.VM) bool {
	if !a.LaunchTime.Equal(b.LaunchTime) {
		return a.LaunchTime.After(b.LaunchTime)
	}
	return a.ID > b.ID
}

// pageLimit reads limit: at most maxLimit, which is also the default.
func pageLimit(q url.Values) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return maxLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, badRequest("Invalid input for query parameters limit. Value: %s. %q is not a non-negative integer", v, v)
	}
	if n == 0 || n > maxLimit {
		return maxLimit, nil
	}
	return n, nil
}

// nextPage is the link to the page after marker, keeping the other query
// parameters.
func nextPage(path string, q url.Values, limit int, marker string) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set("limit", strconv.Itoa(limit))
	next.Set("marker", marker)
	return path + "?" + next.Encode()
}
