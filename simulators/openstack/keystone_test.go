package openstack_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	srv := sim.NewServer(sim.Options{})
	t.Cleanup(srv.Close)
	good := passwordAuth(srv)
	tests := []struct {
		name   string
		change func(*gophercloud.AuthOptions)
		status int // 0: success
	}{
		{"password, versionless auth URL", func(*gophercloud.AuthOptions) {}, 0},
		{"password, /v3 auth URL", func(o *gophercloud.AuthOptions) { o.IdentityEndpoint = srv.URL + "/v3" }, 0},
		{"password, user and project by ID", func(o *gophercloud.AuthOptions) {
			o.Username, o.UserID, o.DomainName, o.TenantName, o.TenantID = "", sim.DefaultUser.ID, "", "", sim.DefaultProject.ID
		}, 0},
		{"application credential", func(o *gophercloud.AuthOptions) {
			*o = gophercloud.AuthOptions{IdentityEndpoint: srv.URL, ApplicationCredentialID: sim.DefaultApplicationCredential.ID,
				ApplicationCredentialSecret: sim.DefaultApplicationCredential.Secret}
		}, 0},
		{"application credential by name", func(o *gophercloud.AuthOptions) {
			*o = gophercloud.AuthOptions{IdentityEndpoint: srv.URL, ApplicationCredentialName: sim.DefaultApplicationCredential.Name,
				ApplicationCredentialSecret: sim.DefaultApplicationCredential.Secret, Username: sim.DefaultUser.Name, DomainName: "Default"}
		}, 0},
		{"wrong password", func(o *gophercloud.AuthOptions) { o.Password = "guess" }, http.StatusUnauthorized},
		{"unknown user", func(o *gophercloud.AuthOptions) { o.Username = "mallory" }, http.StatusUnauthorized},
		{"wrong domain", func(o *gophercloud.AuthOptions) { o.DomainName = "Other" }, http.StatusUnauthorized},
		{"unknown project", func(o *gophercloud.AuthOptions) { o.TenantName = "other-project" }, http.StatusUnauthorized},
		{"wrong application credential secret", func(o *gophercloud.AuthOptions) {
			*o = gophercloud.AuthOptions{IdentityEndpoint: srv.URL, ApplicationCredentialID: sim.DefaultApplicationCredential.ID,
				ApplicationCredentialSecret: "guess"}
		}, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ao := good
			tc.change(&ao)
			pc, err := openstack.AuthenticatedClient(ctx, ao)
			if tc.status != 0 {
				wantError(t, err, tc.status, "Unauthorized")
				return
			}
			if err != nil {
				t.Fatalf("AuthenticatedClient: %v", err)
			}
			for name, newClient := range map[string]func(*gophercloud.ProviderClient, gophercloud.EndpointOpts) (*gophercloud.ServiceClient, error){
				"compute": openstack.NewComputeV2, "network": openstack.NewNetworkV2, "volume": openstack.NewBlockStorageV3,
				"image": openstack.NewImageV2, "identity": openstack.NewIdentityV3,
			} {
				sc, err := newClient(pc, gophercloud.EndpointOpts{Region: "RegionOne"})
				if err != nil {
					t.Fatalf("%s endpoint from the catalog: %v", name, err)
				}
				if sc.Endpoint[:len(srv.URL)] != srv.URL {
					t.Errorf("%s endpoint %s is not on the simulator %s", name, sc.Endpoint, srv.URL)
				}
			}
			if _, err := openstack.NewComputeV2(pc, gophercloud.EndpointOpts{Region: "RegionTwo"}); err == nil {
				t.Error("the catalog has a compute endpoint in RegionTwo")
			}
		})
	}
}

// wantError checks a Keystone-shaped error: {"error": {"code", "title", "message"}}.
func wantError(t *testing.T, err error, status int, title string) {
	t.Helper()
	f := wantFault(t, err, status, "error")
	if f["title"] != title || f["code"] != float64(status) || f["message"] == "" {
		t.Fatalf("Keystone error body %v, want code %d title %s and a message", f, status, title)
	}
}

func TestTokensAreRequiredAndExpire(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{TokenLifetime: time.Hour})
	for _, tc := range []struct {
		name, token string
	}{{"no token", ""}, {"unknown token", "gAAAAABforged"}} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/compute/v2.1/servers/detail", nil)
			if tc.token != "" {
				req.Header.Set("X-Auth-Token", tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
		})
	}

	if _, err := servers.List(e.compute, nil).AllPages(ctx); err != nil {
		t.Fatalf("fresh token refused: %v", err)
	}
	e.clock.Step(time.Hour)
	_, err := servers.List(e.compute, nil).AllPages(ctx)
	wantError(t, err, http.StatusUnauthorized, "Unauthorized")

	ao := passwordAuth(e.srv)
	ao.AllowReauth = true
	pc := login(t, ao)
	compute, _ := openstack.NewComputeV2(pc, gophercloud.EndpointOpts{})
	e.clock.Step(2 * time.Hour)
	if _, err := servers.List(compute, nil).AllPages(ctx); err != nil {
		t.Fatalf("gophercloud should re-authenticate after the token expired: %v", err)
	}
}

// TestMountedHandler: an unstarted server mounted on another listener
// hands out a catalog pointing at the host the client reached.
func TestMountedHandler(t *testing.T) {
	t.Parallel()
	srv := sim.NewUnstartedServer(sim.Options{})
	host := httptest.NewServer(srv)
	t.Cleanup(host.Close)
	ao := passwordAuth(srv)
	ao.IdentityEndpoint = host.URL + "/v3"
	compute, err := openstack.NewComputeV2(login(t, ao), gophercloud.EndpointOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if compute.Endpoint != host.URL+"/compute/v2.1/" {
		t.Fatalf("compute endpoint %s, want it on %s", compute.Endpoint, host.URL)
	}
	if _, err := servers.List(compute, nil).AllPages(ctx); err != nil {
		t.Fatal(err)
	}
}
