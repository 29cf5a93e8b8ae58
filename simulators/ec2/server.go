package ec2

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// Options configure a Server. The zero value serves a fresh core.Cloud and
// world.Default(): us-east-1 with the default key pair, instance types and
// image. The fields from Region to AccountID predate World and override it.
type Options struct {
	// Cloud is the inventory; nil means core.New(core.Options{}).
	Cloud *core.Cloud
	// World is the account served, every region of it from one endpoint;
	// nil means world.Default(). It must validate (NewServer panics otherwise).
	World *world.World
	// Auth holds the credentials requests are verified against, shared with
	// an STS simulator so the keys it issues work here; nil means a store
	// of the world's keys on the cloud's clock.
	Auth *awsauth.Store
	// StrictReferences makes RunInstances refuse what the world lacks, with
	// EC2's codes: malformed AMI, subnet and security group IDs (.Malformed),
	// unknown subnets, security groups and key pairs (.NotFound), unknown
	// instance profiles (InvalidParameterValue), a placement zone other than
	// the subnet's. False keeps what callers written before the world rely
	// on: any subnet, group, key or profile is accepted and recorded.
	StrictReferences bool

	// Region is the primary region, the one Region() reports. If the world
	// lacks it, the world's first region is renamed to it. Default: the
	// world's first region.
	Region string
	// Zones replace the primary region's zones (subnets in other zones are
	// dropped). Default: the world's.
	Zones []string
	// Credentials maps access key IDs to secret keys and replaces the
	// world's. Ignored when Auth is set.
	Credentials map[string]string
	// InstanceTypes maps type names to vCPUs and replaces every region's.
	InstanceTypes map[string]int
	// Images replace every region's images.
	Images []Image
	// AccountID replaces the world's account. Default "123456789012".
	AccountID string
}

// Default credentials accepted by a Server with the default world.
const (
	DefaultAccessKeyID     = world.DefaultAccessKeyID
	DefaultSecretAccessKey = world.DefaultSecretAccessKey
)

// DefaultInstanceTypes is the default world's catalogue: type name to vCPUs.
var DefaultInstanceTypes = instanceTypeMap(world.DefaultInstanceTypes)

// Image is an AMI.
type Image = world.Image

// DefaultImage is the AMI every default server knows.
var DefaultImage = world.DefaultImage

// Server is a running EC2 simulator.
type Server struct {
	// URL is the endpoint to give the SDK (BaseEndpoint / AWS_ENDPOINT_URL_EC2).
	URL     string
	http    *httptest.Server
	cloud   *core.Cloud
	opts    Options
	world   world.World
	regions map[string]*regionIndex
	primary string
	auth    *awsauth.Store
	signer  *awsauth.Signer
	timing  core.Progression
	ipam    *ipam
	volumes *volumeStore

	// launchMu serialises launches and starts: the regional quota check
	// and the launch it admits happen as one, and address leases are not
	// reclaimed while a launch holds fresh ones.
	launchMu sync.Mutex
	actions  map[string]actionDef
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
// URL stays empty. It panics when the world, with the overrides of opts
// applied, does not validate: that is a mistake in the caller's code.
func NewUnstartedServer(opts Options) *Server {
	if opts.Cloud == nil {
		opts.Cloud = core.New(core.Options{})
	}
	w, primary, err := ServedWorld(opts)
	if err != nil {
		panic(fmt.Sprintf("ec2.NewServer: %v", err))
	}
	auth := opts.Auth
	if auth == nil {
		auth = awsauth.NewStore(awsauth.Options{World: &w, Clock: opts.Cloud.Clock()})
	}
	s := &Server{cloud: opts.Cloud, opts: opts, world: w, regions: indexRegions(w), primary: primary,
		auth: auth, signer: awsauth.NewSigner(), timing: opts.Cloud.Progression(), volumes: newVolumeStore(),
		actions: actions()}
	s.ipam = newIPAM(s.liveAddresses)
	s.http = httptest.NewUnstartedServer(s)
	return s
}

// Cloud returns the core the server acts on, for chaos, faults and the oracle.
func (s *Server) Cloud() *core.Cloud { return s.cloud }

// Region returns the primary region: the one clients are told to use.
func (s *Server) Region() string { return s.primary }

// World returns the world served, overrides applied.
func (s *Server) World() world.World { return s.world.Clone() }

// Close stops the server.
func (s *Server) Close() { s.http.Close() }

// ServeHTTP implements the Query protocol endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, err := s.readRequest(r)
	if err != nil {
		s.writeError(w, req, err)
		return
	}
	def, ok := s.actions[req.action]
	if !ok {
		s.writeError(w, req, &apiError{Status: http.StatusBadRequest, Code: "InvalidAction",
			Message: fmt.Sprintf("The action %s is not valid for this web service (the EC2 simulator does not implement it).", req.action)})
		return
	}
	if def.attrs != nil {
		req.extra = def.attrs(req)
	}
	resp, err := core.Do(s.cloud, core.Call{Operation: req.action, Attrs: req.faultAttrs()},
		func() (any, error) { return def.handle(s, req) })
	if f, injected := errors.AsType[*core.FaultError](err); injected {
		err = faultError(f)
	}
	if err != nil {
		s.writeError(w, req, err)
		return
	}
	s.cloud.Record(core.Event{Kind: core.KindCall, Operation: req.action})
	writeXML(w, http.StatusOK, resp)
}
