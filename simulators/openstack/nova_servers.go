package openstack

import (
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

func serverNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "InstanceNotFound", "Instance %s could not be found.", id)
}

// liveServer returns the server id names unless it is unknown, not yet
// visible (core.Options.ReadLag) or deleted.
func (s *Server) liveServer(id string) (core.VM, novaState, error) {
	vm, err := s.cloud.Get(id)
	if err != nil {
		return core.VM{}, novaState{}, serverNotFound(id)
	}
	st := s.stateOf(vm)
	if st.gone {
		return core.VM{}, novaState{}, serverNotFound(id)
	}
	return vm, st, nil
}

func getServer(s *Server, c *call) (reply, error) {
	vm, st, err := s.liveServer(c.r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusOK, vmID: vm.ID,
		body: map[string]any{"server": s.serverView(s.baseURL(c.r), vm, st, c.micro)}}, nil
}

// deleteServer starts the deletion (204): the server shows task_state
// deleting for core.Progression.ShuttingDownFor, then is gone. Nova
// deletes the ports it made and the volumes marked delete_on_termination,
// and unbinds or detaches the others.
func deleteServer(s *Server, c *call) (reply, error) {
	vm, st, err := s.liveServer(c.r.PathValue("id"))
	if err != nil {
		return reply{}, err
	}
	s.markDeleting(vm.ID, st)
	if _, err := s.cloud.Terminate([]string{vm.ID}); err != nil {
		return reply{}, serverNotFound(vm.ID)
	}
	s.unplugNICs(addressesOf(vm))
	s.releaseVolumes(volumesOf(vm))
	return reply{status: http.StatusNoContent, vmID: vm.ID}, nil
}
