package ec2

import (
	"encoding/xml"
	"fmt"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

type stateChangesResponse struct {
	XMLName   xml.Name
	Xmlns     string           `xml:"xmlns,attr"`
	RequestID string           `xml:"requestId"`
	Instances []stateChangeXML `xml:"instancesSet>item"`
}

// stopInstances moves running instances to stopping, then stopped. Stopping
// a stopping or stopped instance changes nothing; any other state is
// IncorrectInstanceState, and then no instance of the call changes.
func stopInstances(s *Server, req *request) (any, error) {
	return s.changePower(req, "stop", "StopInstancesResponse", map[core.State]bool{core.Running: true},
		map[core.State]bool{stateStopping: true, stateStopped: true}, "stopped")
}

// startInstances moves stopped instances to pending, then running.
func startInstances(s *Server, req *request) (any, error) {
	return s.changePower(req, "start", "StartInstancesResponse", map[core.State]bool{stateStopped: true},
		map[core.State]bool{core.Pending: true, core.Running: true}, "started")
}

func (s *Server) changePower(req *request, op, response string, from, already map[core.State]bool, verb string) (any, error) {
	ids := req.list("InstanceId")
	if len(ids) == 0 {
		return nil, missingParameter("InstanceId")
	}
	vms, err := s.instancesByID(req.region, ids)
	if err != nil {
		return nil, err
	}
	s.launchMu.Lock() // a start is a launch for the regional quota
	defer s.launchMu.Unlock()
	now := s.cloud.Clock().Now()
	vcpus, count := 0, 0
	for _, vm := range vms {
		st := s.stateOf(vm, now)
		if !from[st] && !already[st] {
			return nil, &apiError{Status: http.StatusBadRequest, Code: "IncorrectInstanceState",
				Message: fmt.Sprintf("The instance '%s' is not in a state from which it can be %s.", vm.ID, verb)}
		}
		if op == "start" && from[st] {
			vcpus, count = vcpus+vm.VCPUs, count+1
		}
	}
	if count > 0 {
		if err := s.checkQuota(s.region(req), count, vcpus); err != nil {
			return nil, err
		}
	}
	resp := &stateChangesResponse{XMLName: xml.Name{Local: response}, Xmlns: xmlns, RequestID: req.id}
	for _, vm := range vms {
		before := s.stateOf(vm, now)
		after := vm
		if from[before] {
			if after, err = s.setPower(vm.ID, op, now); err != nil {
				return nil, notFound([]string{vm.ID})
			}
		}
		resp.Instances = append(resp.Instances, stateChangeXML{InstanceID: vm.ID,
			PreviousState: stateOf(before), CurrentState: stateOf(s.stateOf(after, now))})
	}
	return resp, nil
}
