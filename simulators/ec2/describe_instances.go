package ec2

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

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
	filters, err := parseFilters(req, func(name string) bool { _, ok := filterFields[name]; return ok })
	if err != nil {
		return nil, err
	}
	now := s.cloud.Clock().Now()
	matched, err := s.matching(req.region, ids, filters, now)
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
			resp.Reservations = append(resp.Reservations, reservationXML{ReservationID: rid, OwnerID: s.world.AccountID})
		}
		resp.Reservations[i].Instances = append(resp.Reservations[i].Instances, s.instanceXML(vm, now))
	}
	return resp, nil
}

// matching returns the visible instances of region among ids (all must
// exist; all instances when ids is empty) that pass the filters at now. An
// exact tag filter is answered from the core's tag index, so its cost does
// not grow with the inventory.
func (s *Server) matching(region string, ids []string, fs filters, now time.Time) ([]core.VM, error) {
	keep := func(vm core.VM) bool {
		return s.vmRegion(vm) == region && fs.match(instanceView{VM: vm, state: s.stateOf(vm, now)})
	}
	if len(ids) > 0 {
		vms, err := s.instancesByID(region, ids)
		if err != nil {
			return nil, err
		}
		var out []core.VM
		for _, vm := range vms {
			if keep(vm) {
				out = append(out, vm)
			}
		}
		return out, nil
	}
	for _, f := range fs {
		if key, ok := strings.CutPrefix(f.name, "tag:"); ok && len(f.values) == 1 && !strings.ContainsAny(f.values[0], "*?[\\") {
			return s.cloud.ListByTag(key, f.values[0], keep), nil
		}
	}
	return s.cloud.List(keep), nil
}

// instancesByID returns the named instances; all must exist, be visible
// and live in region.
func (s *Server) instancesByID(region string, ids []string) ([]core.VM, error) {
	var missing []string
	var out []core.VM
	for _, id := range ids {
		if !instanceIDPattern.MatchString(id) {
			return nil, invalidParameter(fmt.Sprintf("Invalid id: \"%s\"", id)).withCode("InvalidInstanceID.Malformed")
		}
		vm, err := s.cloud.Get(id)
		if err != nil || s.vmRegion(vm) != region {
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

// instanceView is an instance with its EC2 state, as filters see it.
type instanceView struct {
	core.VM
	state core.State
}

// filterFields maps the supported filter names to the values they test.
var filterFields = map[string]func(instanceView) []string{
	"instance-id":         func(v instanceView) []string { return []string{v.ID} },
	"instance-state-name": func(v instanceView) []string { return []string{string(v.state)} },
	"instance-state-code": func(v instanceView) []string { return []string{strconv.Itoa(stateCodes[v.state])} },
	"instance-type":       func(v instanceView) []string { return []string{v.InstanceType} },
	"availability-zone":   func(v instanceView) []string { return []string{v.Zone} },
	"image-id":            func(v instanceView) []string { return []string{v.ImageID} },
	"subnet-id":           func(v instanceView) []string { return []string{v.Attrs[attrSubnet]} },
	"vpc-id":              func(v instanceView) []string { return []string{v.Attrs[attrVPC]} },
	"private-ip-address":  func(v instanceView) []string { return []string{v.Attrs[attrPrivateIP]} },
	"private-dns-name":    func(v instanceView) []string { return []string{v.Attrs[attrPrivateDNS]} },
	"client-token":        func(v instanceView) []string { return []string{v.ClientToken} },
	"reservation-id":      func(v instanceView) []string { return []string{v.Attrs[attrReservation]} },
	"key-name":            func(v instanceView) []string { return []string{v.Attrs[attrKeyName]} },
	"tag-key":             func(v instanceView) []string { return slices.Collect(maps.Keys(v.Tags)) },
	"tag-value":           func(v instanceView) []string { return slices.Collect(maps.Values(v.Tags)) },
}

// match says whether an instance passes every filter.
func (fs filters) match(vm instanceView) bool {
	return fs.matchFields(func(name string) []string { return filterFields[name](vm) }, vm.Tags)
}
