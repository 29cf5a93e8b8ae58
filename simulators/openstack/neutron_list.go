package openstack

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// collection describes a Neutron resource for the list action every
// resource shares.
type collection[T any] struct {
	name string // "ports": the body key, and <name>_links
	id   func(T) string
	// attrs returns the filterable attributes of an item and their values;
	// its keys for the zero T are the attributes Neutron lets clients filter on.
	attrs  func(T) map[string][]string
	tags   func(T) []string // nil: the resource has no tags
	render func(T) any
}

var tagFilters = []string{"tags", "tags-any", "not-tags", "not-tags-any"}

// list answers GET /v2.0/<name>: every query parameter other than paging
// is an equality filter (any value matches; several filters all must),
// an unknown one is refused as Neutron's filter validation does; tags,
// tags-any, not-tags and not-tags-any take comma-separated tags. Items
// come ordered by ID; limit and marker page them, with a next link when
// more follow.
func (col collection[T]) list(s *Server, c *call, items []T) (reply, error) {
	q := c.r.URL.Query()
	var zero T
	known := col.attrs(zero)
	for key := range q {
		switch {
		case key == "limit" || key == "marker" || key == "fields":
		case slices.Contains(tagFilters, key) && col.tags != nil:
		case key == "sort_key" || key == "sort_dir" || key == "page_reverse":
			return reply{}, errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement the list parameter %q", key)
		default:
			if _, ok := known[key]; !ok {
				return reply{}, errorf(http.StatusBadRequest, "HTTPBadRequest", "[%s] is invalid attribute for filtering", key)
			}
		}
	}
	sort.Slice(items, func(i, j int) bool { return col.id(items[i]) < col.id(items[j]) })
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return reply{}, errorf(http.StatusBadRequest, "HTTPBadRequest", "Bad limit request: Limit must be an integer 0 or greater and not '%s'.", v)
		}
		limit = n
	}
	marker := q.Get("marker")
	out := []any{}
	var last string
	more := false
	for _, it := range items {
		if marker != "" && col.id(it) <= marker || !col.matches(it, q) {
			continue
		}
		if limit > 0 && len(out) == limit {
			more = true
			break
		}
		out = append(out, col.render(it))
		last = col.id(it)
	}
	body := map[string]any{col.name: out}
	if more {
		body[col.name+"_links"] = []link{{Rel: "next", Href: nextPage(s.baseURL(c.r)+c.r.URL.Path, q, limit, last)}}
	}
	return reply{status: http.StatusOK, body: body}, nil
}

func (col collection[T]) matches(it T, q map[string][]string) bool {
	attrs := col.attrs(it)
	for key, want := range q {
		if key == "limit" || key == "marker" || key == "fields" {
			continue
		}
		if slices.Contains(tagFilters, key) {
			if !tagsMatch(key, want, col.tags(it)) {
				return false
			}
			continue
		}
		if !slices.ContainsFunc(attrs[key], func(v string) bool { return slices.Contains(want, v) }) {
			return false
		}
	}
	return true
}

// tagsMatch applies one of Neutron's tag filters.
func tagsMatch(filter string, values, have []string) bool {
	var want []string
	for _, v := range values {
		want = append(want, strings.Split(v, ",")...)
	}
	all := !slices.ContainsFunc(want, func(t string) bool { return !slices.Contains(have, t) })
	some := slices.ContainsFunc(want, func(t string) bool { return slices.Contains(have, t) })
	switch filter {
	case "tags":
		return all
	case "tags-any":
		return some
	case "not-tags":
		return !all
	}
	return !some // not-tags-any
}
