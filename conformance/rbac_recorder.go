package conformance

import (
	"net/http"
	"sort"
	"strings"
	"sync"

	rbacv1 "k8s.io/api/rbac/v1"
)

// permission is one (API group, resource, verb) a request used.
type permission struct{ group, resource, verb string }

func (p permission) String() string {
	g := p.group
	if g == "" {
		g = "core"
	}
	return p.verb + " " + g + "/" + p.resource
}

// requestLog records what the controller asked the API server and what it
// was refused, by wrapping its transport.
type requestLog struct {
	mu        sync.Mutex
	used      map[permission]bool
	forbidden []string
}

func newRequestLog() *requestLog { return &requestLog{used: map[permission]bool{}} }

func (l *requestLog) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := rt.RoundTrip(req)
		p, ok := permissionOf(req)
		l.mu.Lock()
		defer l.mu.Unlock()
		if ok {
			l.used[p] = true
		}
		if err == nil && resp.StatusCode == http.StatusForbidden {
			l.forbidden = append(l.forbidden, req.Method+" "+req.URL.Path)
		}
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// permissionOf maps a request to the RBAC verb and resource it needs:
// /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUB]] and
// /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/SUB]].
func permissionOf(req *http.Request) (permission, bool) {
	parts := strings.Split(strings.Trim(req.URL.Path, "/"), "/")
	var group string
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		parts = parts[2:]
	case len(parts) >= 3 && parts[0] == "apis":
		group, parts = parts[1], parts[3:]
	default:
		return permission{}, false // discovery, version, healthz
	}
	if len(parts) >= 2 && parts[0] == "namespaces" && len(parts) != 2 {
		parts = parts[2:]
	}
	if len(parts) == 0 {
		return permission{}, false
	}
	resource, named := parts[0], len(parts) >= 2
	if len(parts) >= 3 {
		resource += "/" + parts[2]
	}
	var verb string
	switch req.Method {
	case http.MethodGet:
		switch {
		case req.URL.Query().Get("watch") == "true":
			verb = "watch"
		case named:
			verb = "get"
		default:
			verb = "list"
		}
	case http.MethodPost:
		verb = "create"
	case http.MethodPut:
		verb = "update"
	case http.MethodPatch:
		verb = "patch"
	case http.MethodDelete:
		verb = "delete"
	default:
		return permission{}, false
	}
	return permission{group: group, resource: resource, verb: verb}, true
}

// unused lists the rules' permissions no recorded request used.
func (l *requestLog) unused(rules []rbacv1.PolicyRule) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					if p := (permission{group: g, resource: res, verb: v}); !l.used[p] {
						out = append(out, p.String())
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func (l *requestLog) refused() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.forbidden...)
}
