package openstack

import (
	"net/http"
	"sync"
	"time"
)

// token is an issued Keystone token, always scoped to Options.Project.
type token struct {
	id       string
	user     User
	appCred  *ApplicationCredential
	methods  []string
	issuedAt time.Time
	expires  time.Time
	auditID  string
}

// tokenStore remembers issued tokens until they expire.
type tokenStore struct {
	mu   sync.Mutex
	byID map[string]*token
}

func newTokenStore() *tokenStore { return &tokenStore{byID: map[string]*token{}} }

func (ts *tokenStore) add(t *token) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.byID[t.id] = t
}

// valid returns the unexpired token id names, if any; expired tokens are forgotten.
func (ts *tokenStore) valid(id string, now time.Time) *token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t := ts.byID[id]
	if t == nil {
		return nil
	}
	if !now.Before(t.expires) {
		delete(ts.byID, id)
		return nil
	}
	return t
}

func (ts *tokenStore) revoke(id string) bool {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	_, ok := ts.byID[id]
	delete(ts.byID, id)
	return ok
}

// errUnauthenticated is Keystone's (and its middleware's) refusal.
func errUnauthenticated(detail string) *apiError {
	msg := "The request you have made requires authentication."
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return &apiError{Status: http.StatusUnauthorized, Type: "Unauthorized", Message: msg, Shape: identityService}
}

// authenticate checks the X-Auth-Token of a request, as keystonemiddleware
// does in front of every OpenStack API.
func (s *Server) authenticate(r *http.Request) (*token, *apiError) {
	id := r.Header.Get("X-Auth-Token")
	if id == "" {
		return nil, errUnauthenticated("no X-Auth-Token header")
	}
	t := s.tokens.valid(id, s.cloud.Clock().Now())
	if t == nil {
		return nil, errUnauthenticated("the token is unknown or expired")
	}
	return t, nil
}

// issue makes a token for user, valid for Options.TokenLifetime.
func (s *Server) issue(user User, appCred *ApplicationCredential, methods []string) *token {
	now := s.cloud.Clock().Now()
	t := &token{id: s.cloud.NewID("gAAAAAB", 64), user: user, appCred: appCred, methods: methods,
		issuedAt: now, expires: now.Add(s.opts.TokenLifetime), auditID: s.cloud.NewID("", 22)}
	s.tokens.add(t)
	return t
}
