package openstack

import (
	"maps"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Server metadata is the core VM's tags, so the ownership oracle and the
// core's tag index see what Nova shows.

// metadataTarget returns the server a metadata call acts on; a server being
// deleted refuses changes, as Nova does.
func (s *Server) metadataTarget(c *call, change string) (core.VM, error) {
	vm, st, err := s.liveServer(c.r.PathValue("id"))
	if err != nil {
		return core.VM{}, err
	}
	if change != "" && st.taskState == &taskDeleting {
		return core.VM{}, errorf(http.StatusConflict, "InstanceInvalidState",
			"Cannot '%s' instance %s while it is in task_state deleting", change, vm.ID)
	}
	return vm, nil
}

func metadataReply(md map[string]string, vmID string) reply {
	if md == nil {
		md = map[string]string{}
	}
	return reply{status: http.StatusOK, body: map[string]any{"metadata": md}, vmID: vmID}
}

func getMetadata(s *Server, c *call) (reply, error) {
	vm, err := s.metadataTarget(c, "")
	if err != nil {
		return reply{}, err
	}
	return metadataReply(vm.Tags, vm.ID), nil
}

// resetMetadata (PUT) replaces all metadata; updateMetadata (POST) merges.
func resetMetadata(s *Server, c *call) (reply, error)  { return s.writeMetadata(c, true) }
func updateMetadata(s *Server, c *call) (reply, error) { return s.writeMetadata(c, false) }

func (s *Server) writeMetadata(c *call, replace bool) (reply, error) {
	var req struct {
		Metadata map[string]string `json:"metadata"`
	}
	if err := readJSON(c.r, &req); err != nil {
		return reply{}, err
	}
	if req.Metadata == nil {
		return reply{}, badRequest("Invalid input for field/attribute metadata. 'metadata' is a required property")
	}
	vm, err := s.metadataTarget(c, "update_metadata")
	if err != nil {
		return reply{}, err
	}
	merged := maps.Clone(req.Metadata)
	if !replace {
		merged = maps.Clone(vm.Tags)
		if merged == nil {
			merged = map[string]string{}
		}
		maps.Copy(merged, req.Metadata)
	}
	if err := checkMetadata(merged); err != nil {
		return reply{}, err
	}
	gone := map[string]*string{}
	for k := range vm.Tags {
		if _, keep := merged[k]; !keep {
			gone[k] = nil
		}
	}
	if len(gone) > 0 {
		if err := s.cloud.DeleteTags([]string{vm.ID}, gone); err != nil {
			return reply{}, serverNotFound(vm.ID)
		}
	}
	if err := s.cloud.SetTags([]string{vm.ID}, merged); err != nil {
		return reply{}, serverNotFound(vm.ID)
	}
	return metadataReply(merged, vm.ID), nil
}

func metadatumNotFound() *apiError {
	return errorf(http.StatusNotFound, "MetadataNotFound", "Metadata item was not found")
}

func getMetadataItem(s *Server, c *call) (reply, error) {
	vm, err := s.metadataTarget(c, "")
	if err != nil {
		return reply{}, err
	}
	key := c.r.PathValue("key")
	v, ok := vm.Tags[key]
	if !ok {
		return reply{}, metadatumNotFound()
	}
	return reply{status: http.StatusOK, body: map[string]any{"meta": map[string]string{key: v}}, vmID: vm.ID}, nil
}

func setMetadataItem(s *Server, c *call) (reply, error) {
	var req struct {
		Meta map[string]string `json:"meta"`
	}
	if err := readJSON(c.r, &req); err != nil {
		return reply{}, err
	}
	key := c.r.PathValue("key")
	if _, ok := req.Meta[key]; !ok || len(req.Meta) != 1 {
		return reply{}, badRequest("Request body and URI mismatch")
	}
	vm, err := s.metadataTarget(c, "update_metadata")
	if err != nil {
		return reply{}, err
	}
	merged := maps.Clone(vm.Tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, req.Meta)
	if err := checkMetadata(merged); err != nil {
		return reply{}, err
	}
	if err := s.cloud.SetTags([]string{vm.ID}, req.Meta); err != nil {
		return reply{}, serverNotFound(vm.ID)
	}
	return reply{status: http.StatusOK, body: map[string]any{"meta": req.Meta}, vmID: vm.ID}, nil
}

func deleteMetadataItem(s *Server, c *call) (reply, error) {
	vm, err := s.metadataTarget(c, "delete_metadata")
	if err != nil {
		return reply{}, err
	}
	key := c.r.PathValue("key")
	if _, ok := vm.Tags[key]; !ok {
		return reply{}, metadatumNotFound()
	}
	if err := s.cloud.DeleteTags([]string{vm.ID}, map[string]*string{key: nil}); err != nil {
		return reply{}, serverNotFound(vm.ID)
	}
	return reply{status: http.StatusNoContent, vmID: vm.ID}, nil
}

// checkMetadata enforces Nova's limits on server metadata.
func checkMetadata(md map[string]string) error {
	const maxItems = 128
	if len(md) > maxItems {
		return errorf(http.StatusForbidden, FaultQuotaExceeded, "%s", quotaMessage("metadata_items", len(md), 0, maxItems))
	}
	for k, v := range md {
		if k == "" || len(k) > 255 || len(v) > 255 {
			return badRequest("Invalid input for field/attribute metadata. Value: {%q: %q}. Keys and values must be 1 to 255 characters (values may be empty)", k, v)
		}
	}
	return nil
}
