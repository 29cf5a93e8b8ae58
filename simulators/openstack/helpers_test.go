package openstack_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/pagination"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

var ctx = context.Background()

// env is a simulator on a fake clock and unmodified gophercloud clients
// that found it through its Keystone catalog.
type env struct {
	srv     *sim.Server
	cloud   *core.Cloud
	clock   *clocktesting.FakeClock
	compute *gophercloud.ServiceClient
	network *gophercloud.ServiceClient
	volume  *gophercloud.ServiceClient
	image   *gophercloud.ServiceClient
}

func newEnv(t *testing.T, coreOpts core.Options, opts sim.Options) *env {
	t.Helper()
	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	coreOpts.Clock = clk
	opts.Cloud = core.New(coreOpts)
	srv := sim.NewServer(opts)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, cloud: opts.Cloud, clock: clk}
	pc := login(t, passwordAuth(srv))
	eo := gophercloud.EndpointOpts{Region: srv.Region()}
	var err error
	if e.compute, err = openstack.NewComputeV2(pc, eo); err != nil {
		t.Fatalf("compute endpoint: %v", err)
	}
	if e.network, err = openstack.NewNetworkV2(pc, eo); err != nil {
		t.Fatalf("network endpoint: %v", err)
	}
	if e.volume, err = openstack.NewBlockStorageV3(pc, eo); err != nil {
		t.Fatalf("block storage endpoint: %v", err)
	}
	if e.image, err = openstack.NewImageV2(pc, eo); err != nil {
		t.Fatalf("image endpoint: %v", err)
	}
	return e
}

func passwordAuth(srv *sim.Server) gophercloud.AuthOptions {
	return gophercloud.AuthOptions{IdentityEndpoint: srv.URL, Username: sim.DefaultUser.Name, Password: sim.DefaultUser.Password,
		DomainName: sim.DefaultDomain.Name, TenantName: sim.DefaultProject.Name}
}

func login(t *testing.T, ao gophercloud.AuthOptions) *gophercloud.ProviderClient {
	t.Helper()
	pc, err := openstack.AuthenticatedClient(ctx, ao)
	if err != nil {
		t.Fatalf("AuthenticatedClient: %v", err)
	}
	return pc
}

// clusterMetadata is what MCM's OpenStack driver writes on its servers.
func clusterMetadata(cluster string) map[string]string {
	return map[string]string{"kubernetes.io-cluster-" + cluster: "1", "kubernetes.io-role-node": "1"}
}

func createServer(t *testing.T, e *env, name string, md map[string]string) *servers.Server {
	t.Helper()
	srv, err := servers.Create(ctx, e.compute, servers.CreateOpts{Name: name, FlavorRef: "3", ImageRef: sim.DefaultImage.ID,
		Metadata: md, UserData: []byte("#cloud-config\n")}, nil).Extract()
	if err != nil {
		t.Fatalf("create server %s: %v", name, err)
	}
	return srv
}

func getServer(t *testing.T, e *env, id string) *servers.Server {
	t.Helper()
	srv, err := servers.Get(ctx, e.compute, id).Extract()
	if err != nil {
		t.Fatalf("get server %s: %v", id, err)
	}
	return srv
}

// httpError is the error gophercloud returns for an unexpected status.
func httpError(t *testing.T, err error) gophercloud.ErrUnexpectedResponseCode {
	t.Helper()
	var e gophercloud.ErrUnexpectedResponseCode
	if !errors.As(err, &e) {
		t.Fatalf("want an HTTP error from the API, got %v", err)
	}
	return e
}

// errorBody decodes the body of an error answer.
func errorBody(t *testing.T, err error) map[string]map[string]any {
	t.Helper()
	var body map[string]map[string]any
	if jerr := json.Unmarshal(httpError(t, err).Body, &body); jerr != nil {
		t.Fatalf("error body is not the OpenStack shape: %v: %s", jerr, httpError(t, err).Body)
	}
	return body
}

// wantFault checks err is status with the fault wrapped under key.
func wantFault(t *testing.T, err error, status int, key string) map[string]any {
	t.Helper()
	if err == nil {
		t.Fatalf("want %d %s, got success", status, key)
	}
	if got := httpError(t, err).Actual; got != status {
		t.Fatalf("want status %d, got %d: %v", status, got, err)
	}
	fault, ok := errorBody(t, err)[key]
	if !ok {
		t.Fatalf("want the error under %q, got %s", key, httpError(t, err).Body)
	}
	return fault
}

// countPages is a pager callback that counts pages.
func countPages(n *int) func(context.Context, pagination.Page) (bool, error) {
	return func(context.Context, pagination.Page) (bool, error) {
		*n++
		return true, nil
	}
}
