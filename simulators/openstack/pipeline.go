package openstack

import (
	"errors"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// route is one API action: the service that answers, the operation name
// fault rules and the event log use, and its handler.
type route struct {
	svc service
	op  string
	// public actions need no token (only Keystone's own).
	public bool
	// prepare, if set, reads the request before faults are decided and
	// adds fault-rule attributes to c.attrs; it may keep what it parsed in
	// c.input for handle.
	prepare func(s *Server, c *call) error
	handle  func(s *Server, c *call) (reply, error)
}

// call is one request on its way through the pipeline.
type call struct {
	r     *http.Request
	token *token
	attrs map[string]string
	input any
	// micro is the compute microversion's minor number (2.micro).
	micro int
	// noValidHost: an injected NoValidHost fault; the server is accepted
	// and then fails to build, as Nova's scheduler makes it.
	noValidHost bool
}

// reply is a handler's answer; a nil body sends none.
type reply struct {
	status int
	body   any
	header map[string]string
	vmID   string // for the event log
}

// endpoint runs the pipeline every action shares: authenticate, then the
// core's request pipeline (core.Do: latency, error, commit-then-fail)
// around the action, record the call, answer.
func (s *Server) endpoint(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &call{r: r, attrs: map[string]string{"Operation": rt.op, "Service": string(rt.svc)}}
		if !rt.public {
			tok, err := s.authenticate(r)
			if err != nil {
				s.fail(w, rt, err)
				return
			}
			c.token = tok
		}
		if rt.svc == computeService {
			m, err := negotiateMicroversion(w, r)
			if err != nil {
				s.fail(w, rt, err)
				return
			}
			c.micro = m
		}
		if rt.prepare != nil {
			if err := rt.prepare(s, c); err != nil {
				s.fail(w, rt, asAPIError(err))
				return
			}
		}
		absorb := func(f *core.FaultError) bool {
			c.noValidHost = f.Code == FaultNoValidHost && rt.op == opCreateServer
			return c.noValidHost // accepted, then the build fails, as Nova's scheduler makes it
		}
		rep, err := core.Do(s.cloud, core.Call{Operation: rt.op, Attrs: c.attrs, Absorb: absorb},
			func() (reply, error) { return rt.handle(s, c) })
		if f, injected := errors.AsType[*core.FaultError](err); injected {
			err = s.faultError(rt.svc, f)
		}
		if err != nil {
			s.fail(w, rt, asAPIError(err))
			return
		}
		s.cloud.Record(core.Event{Kind: core.KindCall, Operation: rt.op, VMID: rep.vmID})
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		writeJSON(w, rep.status, rep.body)
	}
}

// fail records a failed call and answers with err.
func (s *Server) fail(w http.ResponseWriter, rt route, err *apiError) {
	s.cloud.Record(core.Event{Kind: core.KindCall, Operation: rt.op, Code: err.code(), Detail: err.Message})
	writeError(w, rt.svc, err)
}
