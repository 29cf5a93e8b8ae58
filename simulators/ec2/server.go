package ec2

import (
	"fmt"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Options configure a Server. The zero value serves a fresh core.Cloud in
// us-east-1 with the default key pair, instance types and image.
type Options struct {
	// Cloud is the inventory; nil means core.New(core.Options{}).
	Cloud *core.Cloud
	// Region is the region requests must be signed for. Default "us-east-1".
	Region string
	// Zones available for Placement. Default: Region + "a", "b", "c".
	Zones []string
	// Credentials maps access key IDs to secret keys. Default:
	// DefaultAccessKeyID → DefaultSecretAccessKey.
	Credentials map[string]string
	// InstanceTypes maps type names to vCPUs. Default DefaultInstanceTypes.
	InstanceTypes map[string]int
	// Images known to DescribeImages and RunInstances. Default: DefaultImage.
	Images []Image
	// AccountID is the owner of reservations. Default "123456789012".
	AccountID string
}

// Default credentials accepted by a Server with no Options.Credentials.
const (
	DefaultAccessKeyID     = "AKIASIMULATOR0000001"
	DefaultSecretAccessKey = "simulator/secret/key/do-not-use-elsewhere"
)

// DefaultInstanceTypes is a small catalogue with real vCPU counts.
var DefaultInstanceTypes = map[string]int{
	"t3.micro": 2, "t3.small": 2, "t3.medium": 2, "m5.large": 2, "m5.xlarge": 4, "m5.2xlarge": 8, "c5.4xlarge": 16,
}

// Image is an AMI.
type Image struct {
	ID             string
	Name           string
	RootDeviceName string
	Architecture   string
}

// DefaultImage is the AMI every default server knows.
var DefaultImage = Image{ID: "ami-0123456789abcdef0", Name: "simulated-linux", RootDeviceName: "/dev/xvda", Architecture: "x86_64"}

// Server is a running EC2 simulator.
type Server struct {
	// URL is the endpoint to give the SDK (BaseEndpoint / AWS_ENDPOINT_URL_EC2).
	URL   string
	http  *httptest.Server
	cloud *core.Cloud
	opts  Options

	signer *v4.Signer // reused: it caches derived signing keys

	mu      sync.Mutex
	nextIP  int
	actions map[string]action
}

// action handles one Query action; params are the form values.
type action func(s *Server, req *request) (any, error)

// NewServer starts a simulator on a loopback port.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	s.http.Start()
	s.URL = s.http.URL
	return s
}

// NewUnstartedServer builds a server whose Handler can be mounted elsewhere;
// URL stays empty.
func NewUnstartedServer(opts Options) *Server {
	if opts.Cloud == nil {
		opts.Cloud = core.New(core.Options{})
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if len(opts.Zones) == 0 {
		opts.Zones = []string{opts.Region + "a", opts.Region + "b", opts.Region + "c"}
	}
	if opts.Credentials == nil {
		opts.Credentials = map[string]string{DefaultAccessKeyID: DefaultSecretAccessKey}
	}
	if opts.InstanceTypes == nil {
		opts.InstanceTypes = DefaultInstanceTypes
	}
	if opts.Images == nil {
		opts.Images = []Image{DefaultImage}
	}
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	s := &Server{cloud: opts.Cloud, opts: opts, actions: actions(), signer: v4.NewSigner()}
	s.http = httptest.NewUnstartedServer(s)
	return s
}

// Cloud returns the core the server acts on, for chaos, faults and the oracle.
func (s *Server) Cloud() *core.Cloud { return s.cloud }

// Region returns the region requests are signed for.
func (s *Server) Region() string { return s.opts.Region }

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// ServeHTTP implements the Query protocol endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := s.readRequest(r)
	if err != nil {
		s.writeError(w, req, err)
		return
	}
	handler, ok := s.actions[req.action]
	if !ok {
		s.writeError(w, req, &apiError{Status: http.StatusBadRequest, Code: "InvalidAction",
			Message: fmt.Sprintf("The action %s is not valid for this web service (the EC2 simulator does not implement it).", req.action)})
		return
	}
	if req.action == "RunInstances" {
		req.extra = runInstancesAttrs(req)
	}
	d := s.cloud.Intercept(req.action, req.faultAttrs())
	if d.Latency > 0 {
		s.cloud.Clock().Sleep(d.Latency)
	}
	if d.Err != nil && !d.CommitThenFail {
		s.writeError(w, req, faultError(d.Err))
		return
	}
	resp, err := handler(s, req)
	if d.Err != nil {
		err = faultError(d.Err) // the effect happened; the answer is lost
	}
	if err != nil {
		s.writeError(w, req, err)
		return
	}
	s.cloud.Record(core.Event{Kind: core.KindCall, Operation: req.action})
	writeXML(w, http.StatusOK, resp)
}
