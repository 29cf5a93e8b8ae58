package openstack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Server is a running OpenStack simulator: Keystone at the root, Nova under
// /compute/v2.1, Neutron under /network, Cinder under /volume/v3/<project>
// and Glance under /image.
type Server struct {
	// URL is the Keystone auth URL to give the SDK (gophercloud's
	// AuthOptions.IdentityEndpoint); every other endpoint is found through
	// the catalog of the token it issues.
	URL   string
	http  *httptest.Server
	cloud *core.Cloud
	opts  Options
	mux   *http.ServeMux

	tokens   *tokenStore
	ports    *portStore
	volumes  *volumeStore
	names    *nameIndex
	requests atomic.Uint64

	mu       sync.Mutex
	deleting map[string]novaState // servers deleted through the API (not killed), as they were
}

// NewServer starts a simulator on a loopback port.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	s.http.Start()
	s.URL = s.http.URL
	return s
}

// NewUnstartedServer builds a server whose handler (the Server itself) can
// be mounted elsewhere, at the root of a host; URL stays empty and the
// catalog points at the host each request names.
func NewUnstartedServer(opts Options) *Server {
	opts = withDefaults(opts)
	s := &Server{cloud: opts.Cloud, opts: opts, deleting: map[string]novaState{}}
	s.tokens = newTokenStore()
	s.ports = newPortStore(opts.Networks)
	s.volumes = newVolumeStore()
	s.names = newNameIndex()
	s.mux = s.routes()
	s.http = httptest.NewUnstartedServer(s)
	return s
}

// Cloud returns the core the server acts on, for chaos, faults and the oracle.
func (s *Server) Cloud() *core.Cloud { return s.cloud }

// Region returns the region of every catalog endpoint.
func (s *Server) Region() string { return s.opts.Region }

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// ServeHTTP routes a request to its API; paths the simulator does not
// implement fail loudly (see unimplemented).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Openstack-Request-Id", s.requestID())
	s.mux.ServeHTTP(w, r)
}

// baseURL is the server's root as the caller reached it.
func (s *Server) baseURL(r *http.Request) string {
	if s.URL != "" {
		return s.URL
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// requestID numbers answers as OpenStack does (req-<uuid>), without
// drawing on the cloud's seeded randomness.
func (s *Server) requestID() string {
	n := s.requests.Add(1)
	return fmt.Sprintf("req-%08x-0000-4000-8000-%012x", n>>48, n&(1<<48-1))
}

// markDeleting remembers that the API, not chaos, is deleting a server,
// and how the server looked then: Nova keeps showing that status, with
// task_state deleting, until the server is gone.
func (s *Server) markDeleting(id string, was novaState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, already := s.deleting[id]; !already {
		was.taskState = &taskDeleting
		s.deleting[id] = was
	}
}

func (s *Server) deletingState(id string) (novaState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.deleting[id]
	return st, ok
}
