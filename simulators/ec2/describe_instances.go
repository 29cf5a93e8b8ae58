package ec2

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

var instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)

func describeInstances(s *Server, req *request) (any, error) {
	ids := req.list("InstanceId")
	maxResults, err := req.intParam("MaxResults", 0)
	if err != nil {
		return nil, err
	}
	if maxResults != 0 && len(ids) > 0 {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination",
			Message: "The parameter instancesSet cannot be used with the parameter maxResults"}
	}
	if maxResults != 0 && (maxResults < 5 || maxResults > 1000) {
		return nil, invalidParameter(fmt.Sprintf("Value ( %d ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.", maxResults))
	}
	filters, err := parseFilters(req)
	if err != nil {
		return nil, err
	}
	matched, err := s.matching(ids, filters)
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(matched, req.get("NextToken"), maxResults)
	if err != nil {
		return nil, err
	}
	resp := &describeInstancesResponse{Xmlns: xmlns, RequestID: req.id, NextToken: next}
	byReservation := map[string]int{}
	for _, vm := range page {
		rid := vm.Attrs[attrReservation]
		i, ok := byReservation[rid]
		if !ok {
			i = len(resp.Reservations)
			byReservation[rid] = i
			resp.Reservations = append(resp.Reservations, reservationXML{ReservationID: rid, OwnerID: s.opts.AccountID})
		}
		resp.Reservations[i].Instances = append(resp.Reservations[i].Instances, toInstanceXML(vm))
	}
	return resp, nil
}

// matching returns the visible instances among ids (all must exist; all
// instances when ids is empty) that pass the filters. An exact tag filter
// is answered from the core's tag index, so its cost does not grow with
// the inventory.
func (s *Server) matching(ids []string, fs filters) ([]core.VM, error) {
	if len(ids) > 0 {
		vms, err := s.instancesByID(ids)
		if err != nil {
			return nil, err
		}
		var out []core.VM
		for _, vm := range vms {
			if fs.match(vm) {
				out = append(out, vm)
			}
		}
		return out, nil
	}
	for _, f := range fs {
		if key, ok := strings.CutPrefix(f.name, "tag:"); ok && len(f.values) == 1 && !strings.ContainsAny(f.values[0], "*?[\\") {
			return s.cloud.ListByTag(key, f.values[0], fs.match), nil
		}
	}
	return s.cloud.List(fs.match), nil
}

// instancesByID returns the named instances; all must exist and be visible.
func (s *Server) instancesByID(ids []string) ([]core.VM, error) {
	var missing []string
	var out []core.VM
	for _, id := range ids {
		if !instanceIDPattern.MatchString(id) {
			return nil, invalidParameter(fmt.Sprintf("Invalid id: \"%s\"", id)).withCode("InvalidInstanceID.Malformed")
		}
		vm, err := s.cloud.Get(id)
		if err != nil {
			missing = append(missing, id)
			continue
		}
		out = append(out, vm)
	}
	if len(missing) > 0 {
		return nil, notFound(missing)
	}
	return out, nil
}

func notFound(ids []string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidInstanceID.NotFound",
		Message: fmt.Sprintf("The instance IDs '%s' do not exist", strings.Join(ids, ", "))}
}

func (e *apiError) withCode(code string) *apiError { e.Code = code; return e }

// paginate returns one page after the token and the token of the next one.
// Tokens are opaque to clients: base64 of the last ID served.
func paginate(vms []core.VM, token string, max int) ([]core.VM, string, error) {
	start := 0
	if token != "" {
		last, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return nil, "", invalidParameter("Unable to parse pagination token")
		}
		for start < len(vms) && vms[start].ID <= string(last) {
			start++
		}
	}
	if max == 0 || start+max >= len(vms) {
		return vms[start:], "", nil
	}
	page := vms[start : start+max]
	return page, base64.RawURLEncoding.EncodeToString([]byte(page[len(page)-1].ID)), nil
}

// filter is one Filter.N with its values (glob patterns).
type filter struct {
	name   string
	values []string
}

type filters []filter

func parseFilters(req *request) (filters, error) {
	var out filters
	for _, m := range req.members("Filter") {
		f := filter{name: req.get(m + ".Name"), values: req.list(m + ".Value")}
		if f.name == "" {
			return nil, missingParameter(m + ".Name")
		}
		if _, ok := filterFields[f.name]; !ok && !strings.HasPrefix(f.name, "tag:") {
			return nil, invalidParameter(fmt.Sprintf("The filter '%s' is invalid", f.name)).withCode("InvalidParameterValue")
		}
		out = append(out, f)
	}
	return out, nil
}

// filterFields maps the supported filter names to the values they test.
var filterFields = map[string]func(core.VM) []string{
	"instance-id":         func(v core.VM) []string { return []string{v.ID} },
	"instance-state-name": func(v core.VM) []string { return []string{string(v.State())} },
	"instance-state-code": func(v core.VM) []string { return []string{strconv.Itoa(stateCodes[v.State()])} },
	"instance-type":       func(v core.VM) []string { return []string{v.InstanceType} },
	"availability-zone":   func(v core.VM) []string { return []string{v.Zone} },
	"image-id":            func(v core.VM) []string { return []string{v.ImageID} },
	"subnet-id":           func(v core.VM) []string { return []string{v.Attrs[attrSubnet]} },
	"vpc-id":              func(v core.VM) []string { return []string{v.Attrs[attrVPC]} },
	"private-ip-address":  func(v core.VM) []string { return []string{v.Attrs[attrPrivateIP]} },
	"private-dns-name":    func(v core.VM) []string { return []string{v.Attrs[attrPrivateDNS]} },
	"client-token":        func(v core.VM) []string { return []string{v.ClientToken} },
	"reservation-id":      func(v core.VM) []string { return []string{v.Attrs[attrReservation]} },
	"key-name":            func(v core.VM) []string { return []string{v.Attrs[attrKeyName]} },
	"tag-key":             func(v core.VM) []string { return slices.Collect(maps.Keys(v.Tags)) },
	"tag-value":           func(v core.VM) []string { return slices.Collect(maps.Values(v.Tags)) },
}

// match: every filter must match (AND); within one filter, any value (OR).
func (fs filters) match(vm core.VM) bool {
	for _, f := range fs {
		var have []string
		if key, ok := strings.CutPrefix(f.name, "tag:"); ok {
			v, present := vm.Tags[key]
			if !present {
				return false
			}
			have = []string{v}
		} else {
			have = filterFields[f.name](vm)
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
