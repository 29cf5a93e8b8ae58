package openstack

import (
	"net/http"
)

const keystoneVersion = "v3.14"

func keystoneVersionDoc(base string) map[string]any {
	return map[string]any{"id": keystoneVersion, "status": "stable", "updated": "2020-04-07T00:00:00Z",
		"links":       []link{{Rel: "self", Href: base + "/v3/"}},
		"media-types": []map[string]string{{"base": "application/json", "type": "application/vnd.openstack.identity-v3+json"}}}
}

// keystoneVersions answers GET /: the versions Keystone offers (300, as
// Keystone does).
func keystoneVersions(s *Server, c *call) (reply, error) {
	doc := keystoneVersionDoc(s.baseURL(c.r))
	return reply{status: http.StatusMultipleChoices, body: map[string]any{"versions": map[string]any{"values": []any{doc}}}}, nil
}

// keystoneV3 answers GET /v3.
func keystoneV3(s *Server, c *call) (reply, error) {
	return reply{status: http.StatusOK, body: map[string]any{"version": keystoneVersionDoc(s.baseURL(c.r))}}, nil
}

// createToken answers POST /v3/auth/tokens: 201 with X-Subject-Token.
func createToken(s *Server, c *call) (reply, error) {
	var req authRequest
	if err := readJSON(c.r, &req); err != nil {
		return reply{}, err
	}
	user, appCred, err := s.identify(&req)
	if err != nil {
		return reply{}, err
	}
	if err := s.checkScope(req.Auth.Scope, appCred != nil); err != nil {
		return reply{}, err
	}
	t := s.issue(user, appCred, req.Auth.Identity.Methods)
	return reply{status: http.StatusCreated, body: s.tokenBody(c.r, t), header: map[string]string{"X-Subject-Token": t.id}}, nil
}

// validateToken answers GET /v3/auth/tokens: the token X-Subject-Token names.
func validateToken(s *Server, c *call) (reply, error) {
	t := s.tokens.valid(c.r.Header.Get("X-Subject-Token"), s.cloud.Clock().Now())
	if t == nil {
		return reply{}, errorf(http.StatusNotFound, "NotFound", "Could not find token: %s.", c.r.Header.Get("X-Subject-Token"))
	}
	return reply{status: http.StatusOK, body: s.tokenBody(c.r, t), header: map[string]string{"X-Subject-Token": t.id}}, nil
}

// revokeToken answers DELETE /v3/auth/tokens.
func revokeToken(s *Server, c *call) (reply, error) {
	if !s.tokens.revoke(c.r.Header.Get("X-Subject-Token")) {
		return reply{}, errorf(http.StatusNotFound, "NotFound", "Could not find token: %s.", c.r.Header.Get("X-Subject-Token"))
	}
	return reply{status: http.StatusNoContent}, nil
}

func (s *Server) tokenBody(r *http.Request, t *token) map[string]any {
	domain := map[string]string{"id": s.opts.Domain.ID, "name": s.opts.Domain.Name}
	body := map[string]any{
		"methods":    t.methods,
		"user":       map[string]any{"id": t.user.ID, "name": t.user.Name, "domain": domain, "password_expires_at": nil},
		"audit_ids":  []string{t.auditID},
		"issued_at":  stamp(t.issuedAt, keystoneStamp),
		"expires_at": stamp(t.expires, keystoneStamp),
		"project":    map[string]any{"id": s.opts.Project.ID, "name": s.opts.Project.Name, "domain": domain},
		"is_domain":  false,
		"roles":      []map[string]string{{"id": "f0e1d2c3b4a5968778695a4b3c2d1e0f", "name": "member"}, {"id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "name": "reader"}},
		"catalog":    s.catalog(s.baseURL(r)),
	}
	if t.appCred != nil {
		body["application_credential"] = map[string]any{"id": t.appCred.ID, "name": t.appCred.Name, "restricted": true}
	}
	return map[string]any{"token": body}
}
