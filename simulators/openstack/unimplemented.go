package openstack

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// unimplemented answers every method and path the simulator does not
// serve with 501, naming them (and, for a server action, the action), in
// the shape of the API the path belongs to, and logs the call: a driver
// that needs more than the simulator offers fails loudly.
func (s *Server) unimplemented(w http.ResponseWriter, r *http.Request) {
	what := r.Method + " " + r.URL.Path
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/action") {
		var body map[string]json.RawMessage
		if b, err := io.ReadAll(io.LimitReader(r.Body, maxBody)); err == nil && json.Unmarshal(b, &body) == nil {
			for action := range body {
				what += " (action " + action + ")"
			}
		}
	}
	err := errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement %s", what)
	s.cloud.Record(core.Event{Kind: core.KindCall, Operation: "Unimplemented", Code: err.code(), Detail: err.Message})
	writeError(w, serviceOf(r.URL.Path), err)
}

// serviceOf tells which API a path belongs to.
func serviceOf(path string) service {
	switch {
	case strings.HasPrefix(path, "/compute"):
		return computeService
	case strings.HasPrefix(path, networkPath):
		return networkService
	case strings.HasPrefix(path, "/volume"):
		return volumeService
	case strings.HasPrefix(path, imagePath):
		return imageService
	}
	return identityService
}
