package openstack

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
)

// authRequest is the body of POST /v3/auth/tokens.
type authRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User authUser `json:"user"`
			} `json:"password"`
			ApplicationCredential *struct {
				ID     string    `json:"id"`
				Name   string    `json:"name"`
				Secret string    `json:"secret"`
				User   *authUser `json:"user"`
			} `json:"application_credential"`
			Token *struct {
				ID string `json:"id"`
			} `json:"token"`
		} `json:"identity"`
		Scope json.RawMessage `json:"scope"`
	} `json:"auth"`
}

type authUser struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Domain   *ref   `json:"domain"`
}

// ref names a Keystone object by ID or by name.
type ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type authScope struct {
	Project *struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Domain *ref   `json:"domain"`
	} `json:"project"`
	Domain *ref            `json:"domain"`
	System json.RawMessage `json:"system"`
	Trust  json.RawMessage `json:"OS-TRUST:trust"`
}

func secretsEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// identify resolves the credentials of a token request to a user.
func (s *Server) identify(req *authRequest) (User, *ApplicationCredential, error) {
	id := req.Auth.Identity
	if len(id.Methods) == 0 {
		return User{}, nil, errorf(http.StatusBadRequest, "ValidationError", "Expecting to find methods in identity. The server could not comply with the request since it is either malformed or otherwise incorrect.")
	}
	switch {
	case slices.Contains(id.Methods, "password") && id.Password != nil:
		u, err := s.findUser(id.Password.User)
		if err != nil {
			return User{}, nil, err
		}
		if !secretsEqual(u.Password, id.Password.User.Password) {
			return User{}, nil, errUnauthenticated("")
		}
		return u, nil, nil
	case slices.Contains(id.Methods, "application_credential") && id.ApplicationCredential != nil:
		ac := id.ApplicationCredential
		for i, known := range s.opts.ApplicationCredentials {
			byID := ac.ID != "" && ac.ID == known.ID
			byName := ac.ID == "" && ac.Name != "" && ac.Name == known.Name && ac.User != nil && s.userMatches(*ac.User, known.UserID)
			if (byID || byName) && secretsEqual(known.Secret, ac.Secret) {
				u, _ := s.userByID(known.UserID)
				return u, &s.opts.ApplicationCredentials[i], nil
			}
		}
		return User{}, nil, errUnauthenticated("")
	case slices.Contains(id.Methods, "token") && id.Token != nil:
		t := s.tokens.valid(id.Token.ID, s.cloud.Clock().Now())
		if t == nil {
			return User{}, nil, errUnauthenticated("")
		}
		return t.user, t.appCred, nil
	}
	return User{}, nil, errUnauthenticated("unsupported authentication method")
}

// findUser finds the user of a password login: by ID, or by name in a domain.
func (s *Server) findUser(u authUser) (User, error) {
	if u.ID != "" {
		if known, ok := s.userByID(u.ID); ok {
			return known, nil
		}
		return User{}, errUnauthenticated("")
	}
	if u.Domain == nil {
		return User{}, errorf(http.StatusBadRequest, "ValidationError", "Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect.")
	}
	if !s.domainMatches(*u.Domain) {
		return User{}, errUnauthenticated("")
	}
	for _, known := range s.opts.Users {
		if known.Name == u.Name {
			return known, nil
		}
	}
	return User{}, errUnauthenticated("")
}

func (s *Server) userByID(id string) (User, bool) {
	for _, u := range s.opts.Users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}

func (s *Server) userMatches(u authUser, userID string) bool {
	known, ok := s.userByID(userID)
	return ok && (u.ID == userID || u.ID == "" && u.Name == known.Name && u.Domain != nil && s.domainMatches(*u.Domain))
}

func (s *Server) domainMatches(d ref) bool {
	return d.ID != "" && d.ID == s.opts.Domain.ID || d.ID == "" && d.Name == s.opts.Domain.Name
}

// checkScope accepts no scope (the user's default project) or the project;
// application credentials carry their own scope and may not ask for one.
func (s *Server) checkScope(raw json.RawMessage, appCred bool) error {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `"unscoped"` {
		return nil
	}
	if appCred {
		return errUnauthenticated("Application credentials cannot request a scope.")
	}
	var sc authScope
	if err := json.Unmarshal(raw, &sc); err != nil {
		return errorf(http.StatusBadRequest, "ValidationError", "Malformed scope: %v", err)
	}
	if sc.Project == nil {
		return errorf(http.StatusNotImplemented, "NotImplemented",
			"the OpenStack simulator scopes tokens to its one project only; domain, system and trust scopes are not implemented")
	}
	p := sc.Project
	switch {
	case p.ID != "" && p.ID == s.opts.Project.ID:
	case p.ID == "" && p.Name == s.opts.Project.Name && p.Domain != nil && s.domainMatches(*p.Domain):
	default:
		return errUnauthenticated("no access to project " + p.ID + p.Name)
	}
	return nil
}
