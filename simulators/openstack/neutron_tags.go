package openstack

import (
	"net/http"
	"slices"
	"sort"
)

// Port tags, set in the create body or through Neutron's tag extension
// (PUT/GET/DELETE /v2.0/ports/{id}/tags[/{tag}]).

// checkTags validates tags as Neutron does and returns them sorted and unique.
func checkTags(tags []string) ([]string, error) {
	out := slices.Clone(tags)
	for _, t := range out {
		if t == "" || len(t) > 255 {
			return nil, errorf(http.StatusBadRequest, "InvalidInput", "Invalid input for operation: '%s' is not a valid tag (1 to 255 characters).", t)
		}
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

func tagsReply(tags []string) reply {
	if tags == nil {
		tags = []string{}
	}
	return reply{status: http.StatusOK, body: map[string]any{"tags": tags}}
}

func listPortTags(s *Server, c *call) (reply, error) {
	p, ok := s.ports.get(c.r.PathValue("id"))
	if !ok {
		return reply{}, portNotFound(c.r.PathValue("id"))
	}
	return tagsReply(p.Tags), nil
}

func replacePortTags(s *Server, c *call) (reply, error) {
	var req struct {
		Tags []string `json:"tags"`
	}
	if err := readJSON(c.r, &req); err != nil {
		return reply{}, err
	}
	tags, err := checkTags(req.Tags)
	if err != nil {
		return reply{}, err
	}
	p, aerr := s.ports.update(c.r.PathValue("id"), s.cloud.Clock().Now(), func(p *port) *apiError {
		p.Tags = tags
		return nil
	})
	if aerr != nil {
		return reply{}, aerr
	}
	return tagsReply(p.Tags), nil
}

func deleteAllPortTags(s *Server, c *call) (reply, error) {
	_, err := s.ports.update(c.r.PathValue("id"), s.cloud.Clock().Now(), func(p *port) *apiError {
		p.Tags = nil
		return nil
	})
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}

func tagNotFound(tag, portID string) *apiError {
	return errorf(http.StatusNotFound, "TagNotFound", "Tag %s could not be found for port %s.", tag, portID)
}

func checkPortTag(s *Server, c *call) (reply, error) {
	p, ok := s.ports.get(c.r.PathValue("id"))
	if !ok {
		return reply{}, portNotFound(c.r.PathValue("id"))
	}
	if !slices.Contains(p.Tags, c.r.PathValue("tag")) {
		return reply{}, tagNotFound(c.r.PathValue("tag"), p.ID)
	}
	return reply{status: http.StatusNoContent}, nil
}

func addPortTag(s *Server, c *call) (reply, error) {
	tag := c.r.PathValue("tag")
	if _, err := checkTags([]string{tag}); err != nil {
		return reply{}, err
	}
	_, err := s.ports.update(c.r.PathValue("id"), s.cloud.Clock().Now(), func(p *port) *apiError {
		p.Tags, _ = checkTags(append(p.Tags, tag))
		return nil
	})
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusCreated}, nil
}

func deletePortTag(s *Server, c *call) (reply, error) {
	tag := c.r.PathValue("tag")
	_, err := s.ports.update(c.r.PathValue("id"), s.cloud.Clock().Now(), func(p *port) *apiError {
		i := slices.Index(p.Tags, tag)
		if i < 0 {
			return tagNotFound(tag, p.ID)
		}
		p.Tags = slices.Delete(p.Tags, i, i+1)
		return nil
	})
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusNoContent}, nil
}
