package openstack

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"net/http/httptest"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/openstack/osdriver"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	ossim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

//go:embed testdata/*.yaml
var testdata embed.FS

// Cluster is the cluster name of the sample class; the simulator joins
// this cluster's servers as Nodes.
const Cluster = "conformance"

// EnvAuthURL is the Keystone URL a Secret without authURL gets, as
// OpenStack's clients read it.
const EnvAuthURL = "OS_AUTH_URL"

// The simulator's identity and region, which the sample Secret logs in with.
var (
	Region  = "sim-1"
	Domain  = ossim.Domain{ID: "default", Name: "os-sim-domain"}
	Project = ossim.Project{ID: ossim.DefaultProject.ID, Name: "os-sim-tenant"}
	User    = ossim.User{ID: ossim.DefaultUser.ID, Name: "os-sim-user", Password: "os-sim-password-7f3a"}
)

// SampleProviderSpec is a class of Cluster on the simulator's defaults.
var SampleProviderSpec = providerSpec(Cluster)

// ForeignProviderSpec is the same class for another cluster.
var ForeignProviderSpec = providerSpec("someone-else")

func providerSpec(cluster string) json.RawMessage {
	return json.RawMessage(`{"flavorName":"m1.small","imageName":"` + ossim.DefaultImage.Name + `",` +
		`"networkID":"` + ossim.DefaultNetwork.ID + `","securityGroups":["` + ossim.DefaultSecurityGroup.Name + `"],` +
		`"tags":{"` + osdriver.ClusterKeyPrefix + cluster + `":"1","` + osdriver.RoleKeyPrefix + `node":"1"}}`)
}

// SampleSecret logs in to the simulator; authURL comes from OS_AUTH_URL.
var SampleSecret = map[string][]byte{
	osdriver.SecretUsername:   []byte(User.Name),
	osdriver.SecretPassword:   []byte(User.Password),
	osdriver.SecretDomainName: []byte(Domain.Name),
	osdriver.SecretTenantName: []byte(Project.Name),
	osdriver.SecretRegion:     []byte(Region),
	osdriver.SecretUserData:   []byte("#cloud-config\n"),
}

func init() {
	fixtures, err := fs.Sub(testdata, "testdata")
	if err != nil {
		panic(err)
	}
	providers.Register(providers.Provider{
		Name:        "openstack",
		Description: "reference OpenStack driver on gophercloud/v2, against the OpenStack simulator",
		NewDriver: func(_ context.Context, env map[string]string) (driver.Driver, error) {
			return osdriver.New(osdriver.Options{AuthURL: env[EnvAuthURL]}), nil
		},
		ClassProvider:       "OpenStack",
		ListPageSize:        1000, // Nova's default api max_limit, as the simulator pages
		SampleProviderSpec:  SampleProviderSpec,
		ForeignProviderSpec: ForeignProviderSpec,
		SampleSecret:        SampleSecret,
		Fixtures:            fixtures,
		NewSimulator:        func(context.Context) (providers.Simulator, error) { return NewSimulator(), nil },
		SimulatorCloud:      "openstack",
	})
}

// NewSimulator starts the OpenStack simulator on one cloud, wrapped by
// providers/simkit with the OpenStack codec. Its endpoint also serves the
// simulator's control API (simkit.ControlPrefix), so a harness in another
// process can steer it.
func NewSimulator() *simkit.Simulator {
	cloud := core.New(core.Options{Progression: core.Progression{PendingFor: 100 * time.Millisecond, ShuttingDownFor: time.Second}})
	srv := ossim.NewUnstartedServer(SimulatorOptions(cloud))
	front := httptest.NewUnstartedServer(nil)
	env := map[string]string{} // filled once the endpoint is known; simkit reads it at each Env call
	sim := simkit.New(simkit.Options{
		Cloud:  cloud,
		Codec:  codec{srv: srv},
		Env:    env,
		Inject: srv.Inject,
		Close:  front.Close,
	})
	front.Config.Handler = sim.WithControl(srv)
	front.Start()
	for _, kv := range ClientEnv(front.URL) {
		env[kv[0]] = kv[1]
	}
	return sim
}

// SimulatorOptions are an OpenStack simulator's on cloud, serving the
// identity and region SampleSecret logs in with (cmd/cloud-simulator
// serves the same, so the suite runs against either).
func SimulatorOptions(cloud *core.Cloud) ossim.Options {
	return ossim.Options{Cloud: cloud, Region: Region, Domain: Domain, Project: Project, Users: []ossim.User{User}}
}

// ClientEnv is what OpenStack clients (the openstack CLI, gophercloud's
// AuthOptionsFromEnv) read to log in to a simulator of SimulatorOptions
// at url, in a stable order.
func ClientEnv(url string) [][2]string {
	return [][2]string{
		{EnvAuthURL, url + "/v3"}, {"OS_IDENTITY_API_VERSION", "3"},
		{"OS_USERNAME", User.Name}, {"OS_PASSWORD", User.Password},
		{"OS_PROJECT_NAME", Project.Name},
		{"OS_USER_DOMAIN_NAME", Domain.Name}, {"OS_PROJECT_DOMAIN_NAME", Domain.Name},
		{"OS_REGION_NAME", Region},
	}
}
