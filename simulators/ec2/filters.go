package ec2

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// filter is one Filter.N with its values (glob patterns).
type filter struct {
	name   string
	values []string
}

type filters []filter

// parseFilters reads Filter.N; known says which names (besides tag:KEY)
// the action supports.
func parseFilters(req *request, known func(name string) bool) (filters, error) {
	var out filters
	for _, m := range req.members("Filter") {
		f := filter{name: req.get(m + ".Name"), values: req.list(m + ".Value")}
		if f.name == "" {
			return nil, missingParameter(m + ".Name")
		}
		if !known(f.name) && !strings.HasPrefix(f.name, "tag:") {
			return nil, invalidParameter(fmt.Sprintf("The filter '%s' is invalid", f.name)).withCode("InvalidParameterValue")
		}
		out = append(out, f)
	}
	return out, nil
}

// matchFields: every filter must match (AND); within one filter, any value
// (OR). field gives a resource's values for a filter name; tag:KEY filters
// look at tags.
func (fs filters) matchFields(field func(name string) []string, tags map[string]string) bool {
	for _, f := range fs {
		var have []string
		if key, ok := strings.CutPrefix(f.name, "tag:"); ok {
			v, present := tags[key]
			if !present {
				return false
			}
			have = []string{v}
		} else {
			have = field(f.name)
		}
		if !anyMatch(f.values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, have []string) bool {
	for _, p := range patterns {
		for _, h := range have {
			if ok, _ := path.Match(p, h); ok || p == h {
				return true
			}
		}
	}
	return false
}

// listing describes how a Describe* action of world resources (VPCs,
// subnets, groups, key pairs) and volumes selects what it answers.
type listing[T any] struct {
	// idParam is the list parameter naming resources, e.g. "SubnetId".
	idParam string
	id      func(T) string
	// valid says whether an ID is well formed; nil accepts any.
	valid func(id string) bool
	// malformed and notFound are EC2's answers for bad IDs.
	malformed func(id string) error
	notFound  func(ids []string) error
	// fields are the filter names the action supports and their values.
	fields map[string]func(T) []string
	tags   func(T) map[string]string
}

// selectResources answers a Describe* request over items: the named ones
// (all must exist) or all, then those passing every filter.
func selectResources[T any](req *request, l listing[T], items []T) ([]T, error) {
	ids := req.list(l.idParam)
	for _, id := range ids {
		if l.valid != nil && !l.valid(id) {
			return nil, l.malformed(id)
		}
	}
	if len(ids) > 0 {
		byID := map[string]T{}
		for _, it := range items {
			byID[l.id(it)] = it
		}
		var missing []string
		var named []T
		for _, id := range ids {
			if it, ok := byID[id]; ok {
				named = append(named, it)
			} else {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return nil, l.notFound(missing)
		}
		items = named
	}
	fs, err := parseFilters(req, func(name string) bool {
		_, ok := l.fields[name]
		return ok || name == "tag-key" || name == "tag-value"
	})
	if err != nil {
		return nil, err
	}
	var out []T
	for _, it := range items {
		tags := l.tags(it)
		field := func(name string) []string {
			switch name {
			case "tag-key":
				return slices.Collect(maps.Keys(tags))
			case "tag-value":
				return slices.Collect(maps.Values(tags))
			}
			return l.fields[name](it)
		}
		if fs.matchFields(field, tags) {
			out = append(out, it)
		}
	}
	return out, nil
}

// one is a filter value list of one value.
func one(v string) []string { return []string{v} }
