package openstack_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

func createOpts(name string) servers.CreateOpts {
	return servers.CreateOpts{Name: name, FlavorRef: "2", ImageRef: sim.DefaultImage.ID, Metadata: clusterMetadata("a")}
}

// TestQuotaExceeded: the core's instances and cores quotas, and an
// injected QuotaExceeded fault, are Nova's 403 "Quota exceeded", which
// gophercloud hands over as the real one.
func TestQuotaExceeded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		core    core.Options
		message string
	}{
		{"instances quota", core.Options{Quota: core.Quota{MaxInstances: 1}}, "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"},
		{"cores quota", core.Options{Quota: core.Quota{MaxVCPUs: 1}}, "Quota exceeded for cores: Requested 1, but already used 1 of 1 cores"},
		{"injected fault", core.Options{Faults: []core.FaultRule{{Name: "quota", Operation: "CreateServer", Skip: 1,
			Error: &core.FaultError{Code: sim.FaultQuotaExceeded}}}}, "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.core, sim.Options{})
			if _, err := servers.Create(ctx, e.compute, createOpts("first"), nil).Extract(); err != nil {
				t.Fatalf("first server: %v", err)
			}
			_, err := servers.Create(ctx, e.compute, createOpts("second"), nil).Extract()
			if f := wantFault(t, err, http.StatusForbidden, "forbidden"); f["message"] != tc.message || f["code"] != float64(403) {
				t.Fatalf("fault %v, want message %q", f, tc.message)
			}
			if n := len(e.cloud.Live()); n != 1 {
				t.Fatalf("%d live servers after the refusal, want 1", n)
			}
		})
	}
}

// TestInjectedFaults: throttling, latency, commit-then-fail, a build
// without a valid host and refused credentials, each as OpenStack shows it.
func TestInjectedFaults(t *testing.T) {
	t.Parallel()
	t.Run("rate limit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "throttle", Operation: "ListServers", Count: 1,
			Error: &core.FaultError{Code: sim.FaultRateLimit}}}}, sim.Options{})
		_, err := servers.List(e.compute, nil).AllPages(ctx)
		wantFault(t, err, http.StatusTooManyRequests, "overLimit")
		if ra := httpError(t, err).ResponseHeader.Get("Retry-After"); ra != "1" {
			t.Fatalf("Retry-After %q, want 1", ra)
		}
		if _, err := servers.List(e.compute, nil).AllPages(ctx); err != nil {
			t.Fatalf("after the one throttle: %v", err)
		}
	})
	t.Run("latency on the cloud's clock", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "slow", Operation: "GetServer", Latency: 90 * time.Second}}}, sim.Options{})
		id := createServer(t, e, "slow", nil).ID
		before := e.clock.Now()
		getServer(t, e, id)
		if waited := e.clock.Since(before); waited != 90*time.Second {
			t.Fatalf("GetServer took %v on the fake clock, want 90s", waited)
		}
	})
	t.Run("commit then fail", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "lost", Operation: "CreateServer", CommitThenFail: true, Count: 1,
			Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}}}}, sim.Options{})
		_, err := servers.Create(ctx, e.compute, createOpts("lost"), nil).Extract()
		f := wantFault(t, err, http.StatusInternalServerError, "computeFault")
		if !strings.Contains(f["message"].(string), "lost") {
			t.Fatalf("fault message %v should name the rule", f["message"])
		}
		if names := listNames(t, e, servers.ListOpts{Name: "^lost$"}); len(names) != 1 {
			t.Fatalf("the server behind the lost answer: %v", names)
		}
	})
	t.Run("no valid host", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, core.Options{Progression: core.Progression{PendingFor: time.Minute}, Faults: []core.FaultRule{{Name: "full",
			Operation: "CreateServer", Error: &core.FaultError{Code: sim.FaultNoValidHost}}}}, sim.Options{})
		id := createServer(t, e, "unlucky", clusterMetadata("a")).ID
		if got := getServer(t, e, id); got.Status != "BUILD" {
			t.Fatalf("scheduling server is %s", got.Status)
		}
		e.clock.Step(time.Minute)
		got := getServer(t, e, id)
		if got.Status != "ERROR" || got.Fault.Code != 500 || !strings.HasPrefix(got.Fault.Message, "No valid host was found") || len(got.Addresses) != 0 {
			t.Fatalf("failed build: status %s, fault %+v, addresses %v", got.Status, got.Fault, got.Addresses)
		}
		vm, _ := e.cloud.Get(id)
		if _, joins := e.srv.NodeIdentity(vm); joins {
			t.Fatal("a server in ERROR would register a node")
		}
		if err := servers.Delete(ctx, e.compute, id).ExtractErr(); err != nil {
			t.Fatalf("deleting the ERROR server: %v", err)
		}
		if len(e.cloud.Live()) != 0 {
			t.Fatal("the ERROR server outlived its deletion")
		}
	})
	t.Run("unauthorized", func(t *testing.T) {
		t.Parallel()
		srv := sim.NewServer(sim.Options{Cloud: core.New(core.Options{Faults: []core.FaultRule{{Name: "auth", Operation: "*",
			Error: &core.FaultError{Code: sim.FaultUnauthorized}}}})})
		t.Cleanup(srv.Close)
		_, err := openstack.AuthenticatedClient(ctx, passwordAuth(srv))
		wantError(t, err, http.StatusUnauthorized, "Unauthorized")
	})
}

// TestUnimplementedFailsLoudly: what the simulator does not serve answers
// 501 naming the method, the path (and the server action), and is logged.
func TestUnimplementedFailsLoudly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{}, sim.Options{})
	id := createServer(t, e, "m", nil).ID
	err := servers.Reboot(ctx, e.compute, id, servers.RebootOpts{Type: servers.SoftReboot}).ExtractErr()
	f := wantFault(t, err, http.StatusNotImplemented, "notImplemented")
	want := "the OpenStack simulator does not implement POST /compute/v2.1/servers/" + id + "/action (action reboot)"
	if f["message"] != want {
		t.Fatalf("message %q, want %q", f["message"], want)
	}
	name := "renamed"
	_, err = servers.Update(ctx, e.compute, id, servers.UpdateOpts{Name: name}).Extract()
	if f := wantFault(t, err, http.StatusNotImplemented, "notImplemented"); !strings.Contains(f["message"].(string), "PUT /compute/v2.1/servers/"+id) {
		t.Fatalf("server update: message %v", f["message"])
	}
	for _, tc := range []struct {
		client *gophercloud.ServiceClient
		path   string
		key    string
	}{
		{e.compute, "os-keypairs", "notImplemented"},
		{e.network, "routers", "NeutronError"},
		{e.volume, "snapshots", "notImplemented"},
		{e.image, "tasks", "message"},
	} {
		_, err := tc.client.Get(ctx, tc.client.ServiceURL(tc.path), nil, nil)
		if got := httpError(t, err).Actual; got != http.StatusNotImplemented {
			t.Fatalf("%s: status %d, want 501", tc.path, got)
		}
		msg := string(httpError(t, err).Body)
		if !strings.Contains(msg, tc.key) || !strings.Contains(msg, "does not implement GET /") || !strings.Contains(msg, tc.path) {
			t.Fatalf("%s: body %s", tc.path, msg)
		}
	}
	found := false
	for _, ev := range e.cloud.Events() {
		found = found || ev.Operation == "Unimplemented" && strings.Contains(ev.Detail, "os-keypairs")
	}
	if !found {
		t.Fatal("the unimplemented call is missing from the event log")
	}
}
