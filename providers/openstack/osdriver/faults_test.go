package osdriver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	ossim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// The simulator fails as OpenStack does; the driver answers the contract's
// code, leaves no server or port behind, and says what happened.
func TestCloudFailuresMapToCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		rule core.FaultRule
		want codes.Code
		text string
	}{
		{"rate limit", core.FaultRule{Operation: "CreateServer", Error: &core.FaultError{Code: ossim.FaultRateLimit}}, codes.Unavailable, "429"},
		{"quota", core.FaultRule{Operation: "CreateServer", Error: &core.FaultError{Code: ossim.FaultQuotaExceeded}}, codes.ResourceExhausted, "Quota exceeded"},
		{"no valid host", core.FaultRule{Operation: "CreateServer", Error: &core.FaultError{Code: ossim.FaultNoValidHost}}, codes.ResourceExhausted, "No valid host"},
		{"credentials refused", core.FaultRule{Operation: "*", Error: &core.FaultError{Code: ossim.FaultUnauthorized}}, codes.Unauthenticated, "401"},
		{"nova down", core.FaultRule{Operation: "CreateServer", Error: &core.FaultError{Code: "serviceUnavailable", Status: http.StatusServiceUnavailable}}, codes.Unavailable, "503"},
		{"port quota", core.FaultRule{Operation: "CreatePort", Error: &core.FaultError{Code: ossim.FaultQuotaExceeded}}, codes.ResourceExhausted, "port"},
		{"glance down", core.FaultRule{Operation: "ListImages", Error: &core.FaultError{Code: "x", Status: http.StatusBadGateway}}, codes.Unavailable, "listing images"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, core.Options{Progression: core.Progression{PendingFor: 50 * time.Millisecond}})
			tc.rule.Count = 1
			f.srv.Cloud().AddFault(tc.rule)
			_, err := f.createErr("m1")
			if code := codeOf(t, err); code != tc.want || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("CreateMachine: %v (%v), want %v saying %q", code, err, tc.want, tc.text)
			}
			if live := f.srv.Cloud().Live(); len(live) != 0 {
				t.Errorf("a failed create left servers %v", live)
			}
			if n := f.ports(t, "m1"); n != 0 {
				t.Errorf("a failed create left %d ports", n)
			}
			// The fault was one-off: a retry succeeds and makes one server.
			resp := f.create(t, "m1")
			if got := f.list(t); len(got) != 1 || got[resp.ProviderID] != "m1" {
				t.Errorf("after the retry ListMachines = %v", got)
			}
		})
	}
}

// A lost answer to POST /servers while reads lag: the retry finds the
// server through the machine's port, so there is one server.
func TestLostAnswerWhileReadsLagMakesOneServer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	f.srv.Cloud().SetReadLag(time.Hour)
	f.srv.Cloud().AddFault(core.FaultRule{Operation: "CreateServer", CommitThenFail: true, Count: 3,
		Error: &core.FaultError{Code: "computeFault", Status: http.StatusInternalServerError}})
	first, err1 := f.createErr("m1")
	second, err2 := f.createErr("m1")
	if err1 != nil || err2 != nil || first.ProviderID != second.ProviderID {
		t.Fatalf("creates: %+v %v, %+v %v", first, err1, second, err2)
	}
	if live := f.srv.Cloud().Live(); len(live) != 1 {
		t.Fatalf("%d servers for one machine: %v", len(live), live)
	}
}

func TestStatusOfTwinsIsOutOfRange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	f.create(t, "m1")
	f.inject("m1", "conformance")
	if _, err := f.status("m1"); codeOf(t, err) != codes.OutOfRange {
		t.Fatalf("GetMachineStatus with two servers: %v, want OutOfRange", err)
	}
}

// ListMachines follows Nova's pages past its 1,000-server limit and skips
// other clusters' servers.
func TestListPagesPastNovasLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	for i := range 1050 {
		f.inject("m-"+strings.Repeat("x", i%3)+string(rune('a'+i%26)), "conformance")
	}
	f.inject("theirs", "someone-else")
	if got := f.list(t); len(got) != 1050 {
		t.Fatalf("ListMachines listed %d of 1050 servers", len(got))
	}
}
