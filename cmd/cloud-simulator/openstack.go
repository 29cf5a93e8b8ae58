package main

import (
	"fmt"
	"io"
	"net/http"
	"os"

	"sigs.k8s.io/yaml"

	"github.com/machine-conformance/machine-conformance/providers/openstack"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	ossim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// cloudName is the name clouds.yaml gives the simulator (OS_CLOUD).
const cloudName = "simulator"

// openstackCloud is the OpenStack simulator with its control API, on a
// core of its own (its servers are not EC2's instances).
type openstackCloud struct {
	srv     *ossim.Server
	control *simkit.Simulator
	env     map[string]string
}

func newOpenStackCloud(c config) *openstackCloud {
	cloud := core.New(c.core)
	// The registered openstack provider's identity, which its sample Secret
	// logs in with: the suite runs against this process as against the
	// embedded simulator.
	srv := ossim.NewUnstartedServer(openstack.SimulatorOptions(cloud))
	o := &openstackCloud{srv: srv, env: map[string]string{}}
	o.control = simkit.New(simkit.Options{Cloud: cloud, Codec: openstack.Codec(srv), Env: o.env, Inject: srv.Inject})
	return o
}

func (o *openstackCloud) handler() http.Handler { return o.control.WithControl(o.srv) }

// setURL records the endpoint once it listens, for the printed
// environment and the control API's.
func (o *openstackCloud) setURL(url string) {
	for _, kv := range openstack.ClientEnv(url) {
		o.env[kv[0]] = kv[1]
	}
}

// cloudsYAML is a clouds.yaml naming the simulator cloudName, as
// openstack CLIs and gophercloud's config/clouds read it.
type cloudsYAML struct {
	Clouds map[string]cloudEntry `json:"clouds"`
}

type cloudEntry struct {
	Auth               cloudAuth `json:"auth"`
	RegionName         string    `json:"region_name"`
	IdentityAPIVersion string    `json:"identity_api_version"`
	Interface          string    `json:"interface"`
}

type cloudAuth struct {
	AuthURL           string `json:"auth_url"`
	Username          string `json:"username"`
	Password          string `json:"password"`
	ProjectName       string `json:"project_name"`
	UserDomainName    string `json:"user_domain_name"`
	ProjectDomainName string `json:"project_domain_name"`
}

// writeCloudsYAML writes path beside its final name first, so a reader
// never sees half a file.
func writeCloudsYAML(path string, env map[string]string) error {
	doc := cloudsYAML{Clouds: map[string]cloudEntry{cloudName: {
		Auth: cloudAuth{AuthURL: env["OS_AUTH_URL"], Username: env["OS_USERNAME"], Password: env["OS_PASSWORD"],
			ProjectName: env["OS_PROJECT_NAME"], UserDomainName: env["OS_USER_DOMAIN_NAME"],
			ProjectDomainName: env["OS_PROJECT_DOMAIN_NAME"]},
		RegionName: env["OS_REGION_NAME"], IdentityAPIVersion: env["OS_IDENTITY_API_VERSION"], Interface: "public",
	}}}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path+".partial", out, 0o600); err != nil {
		return fmt.Errorf("--clouds-yaml %s: %w", path, err)
	}
	if err := os.Rename(path+".partial", path); err != nil {
		_ = os.Remove(path + ".partial")
		return fmt.Errorf("--clouds-yaml %s: %w", path, err)
	}
	return nil
}

// printOpenStackBanner prints the OpenStack endpoint as comments, then
// the environment OpenStack clients read as export lines.
func printOpenStackBanner(out io.Writer, c config, url string) {
	fmt.Fprintf(out, "# OpenStack simulator: %s (Keystone v3 at %s/v3; Nova, Neutron, Cinder and Glance from its catalog)\n", url, url)
	fmt.Fprintf(out, "# control API:         %s%s (machine-conformance --provider=openstack --simulator-endpoint=%s)\n", url, simkit.ControlPrefix, url)
	if c.cloudsYAML != "" {
		fmt.Fprintf(out, "# clouds.yaml:         %s (export OS_CLIENT_CONFIG_FILE=%s OS_CLOUD=%s)\n", c.cloudsYAML, c.cloudsYAML, cloudName)
	}
	for _, kv := range openstack.ClientEnv(url) {
		fmt.Fprintf(out, "export %s=%s\n", kv[0], kv[1])
	}
}
