package sts

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Options configure a Server. The zero value issues credentials from a
// store of world.Default()'s account on the real clock and accepts any
// non-empty web identity token.
type Options struct {
	// Auth issues temporary credentials and verifies signatures; share it
	// with the EC2 simulator. Nil means awsauth.NewStore(awsauth.Options{}).
	Auth *awsauth.Store
	// Cloud carries the fault rules and the event log; share it with the
	// EC2 simulator to see both in one log. Nil means a fresh core.
	Cloud *core.Cloud
	// Regions a signed request may be scoped to, besides us-east-1 (the
	// global endpoint's). Nil accepts any region.
	Regions []string
	// VerifyToken judges a web identity token for roleARN; an error is
	// answered with InvalidIdentityToken. Nil accepts any non-empty token.
	VerifyToken func(token, roleARN string) error
}

// Server is a running STS simulator.
type Server struct {
	// URL is the endpoint (AWS_ENDPOINT_URL_STS).
	URL    string
	http   *httptest.Server
	opts   Options
	signer *awsauth.Signer
}

// request is a parsed STS Query request.
type request struct {
	id, action string
	params     url.Values
	signed     awsauth.Signed
}

type handler struct {
	run    func(s *Server, req *request) (any, error)
	signed bool // the action needs a SigV4 signature
}

var actions = map[string]handler{
	"AssumeRoleWithWebIdentity": {run: assumeRoleWithWebIdentity},
	"GetCallerIdentity":         {run: getCallerIdentity, signed: true},
}

const maxBody = 1 << 20

// NewServer starts a simulator on a loopback port.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	s.http.Start()
	s.URL = s.http.URL
	return s
}

// NewUnstartedServer builds a server to mount elsewhere as an
// http.Handler; URL stays empty.
func NewUnstartedServer(opts Options) *Server {
	if opts.Cloud == nil {
		opts.Cloud = core.New(core.Options{})
	}
	if opts.Auth == nil {
		opts.Auth = awsauth.NewStore(awsauth.Options{Clock: opts.Cloud.Clock()})
	}
	s := &Server{opts: opts, signer: awsauth.NewSigner()}
	s.http = httptest.NewUnstartedServer(s)
	return s
}

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// ServeHTTP implements the STS Query endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := &request{id: s.opts.Cloud.NewID("", 8) + "-sts-" + s.opts.Cloud.NewID("", 12)}
	h, body, err := s.read(r, req)
	if err == nil && h.signed {
		req.signed, err = s.verify(r, body)
	}
	if err != nil {
		s.writeError(w, req, err)
		return
	}
	resp, err := core.Do(s.opts.Cloud, core.Call{Operation: req.action, Attrs: map[string]string{"Service": "sts", "Action": req.action}},
		func() (any, error) { return h.run(s, req) })
	if f, injected := errors.AsType[*core.FaultError](err); injected {
		err = faultError(f)
	}
	if err != nil {
		s.writeError(w, req, err)
		return
	}
	s.opts.Cloud.Record(core.Event{Kind: core.KindCall, Operation: req.action})
	writeXML(w, resp)
}

// read parses the form and finds the action's handler.
func (s *Server) read(r *http.Request, req *request) (handler, []byte, error) {
	if r.Method != http.MethodPost {
		return handler{}, nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidHttpRequest",
			Message: "the STS simulator accepts Query requests by POST only, got " + r.Method}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return handler{}, nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidHttpRequest", Message: "unreadable or over 1 MiB request body"}
	}
	if req.params, err = url.ParseQuery(string(body)); err != nil {
		return handler{}, nil, &apiError{Status: http.StatusBadRequest, Code: "MalformedQueryString", Message: err.Error()}
	}
	req.action = req.params.Get("Action")
	if req.action == "" {
		return handler{}, nil, &apiError{Status: http.StatusBadRequest, Code: "MissingAction", Message: "the request has no Action parameter"}
	}
	h, ok := actions[req.action]
	if !ok {
		return handler{}, nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidAction",
			Message: fmt.Sprintf("Could not find operation %s for version 2011-06-15 (the STS simulator does not implement it).", req.action)}
	}
	return h, body, nil
}

func (s *Server) serves(region string) bool {
	return s.opts.Regions == nil || region == "us-east-1" || slices.Contains(s.opts.Regions, region)
}
