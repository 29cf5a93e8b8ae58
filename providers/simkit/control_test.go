package simkit

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// serveRemotely serves s's control API beside a stand-in cloud API and
// dials it, as a harness in another process would.
func serveRemotely(t *testing.T, s *Simulator) (*Remote, *httptest.Server) {
	t.Helper()
	cloudAPI := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(s.WithControl(cloudAPI))
	t.Cleanup(srv.Close)
	r, err := Dial(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return r, srv
}

func TestRemoteSteersTheSimulatorLikeTheInProcessOne(t *testing.T) {
	t.Parallel()
	s, vm := newTestSimulator(t)
	r, srv := serveRemotely(t, s)
	id := "test:///z1/" + vm.ID

	if r.Env()["ENDPOINT"] != "http://x" {
		t.Fatalf("Env over the wire = %v", r.Env())
	}
	twin, err := r.Duplicate(id)
	if err != nil || !strings.HasPrefix(twin, "test:///z1/vm-") || twin == id {
		t.Fatalf("Duplicate = %q, %v", twin, err)
	}
	if live := r.LiveVMs(); !slices.Equal(sorted(live), sorted(s.LiveVMs())) || len(live) != 2 {
		t.Fatalf("remote LiveVMs %v, in-process %v", live, s.LiveVMs())
	}
	if err := r.Kill(twin); err != nil {
		t.Fatal(err)
	}
	if err := r.Vanish(id); err != nil {
		t.Fatal(err)
	}
	if alive, known := r.Alive(id); alive || !known {
		t.Fatalf("Alive(vanished) = %v, %v", alive, known)
	}
	census := r.Census()
	if len(census) != 2 || census[0].Machine != "m1" {
		t.Fatalf("Census over the wire = %+v", census)
	}

	remove := r.Fail(providers.FaultQuota, 1)
	if d := s.Cloud().Intercept("CreateVM", nil); d.Err == nil || d.Err.Code != "OverQuota" {
		t.Fatalf("after a remote Fail(quota): %+v", d)
	}
	r.Fail(providers.FaultQuota, 0)
	remove()
	if d := s.Cloud().Intercept("CreateVM", nil); d.Err != nil {
		t.Fatalf("faults survived their remote removal: %+v", d)
	}

	restore := r.Lag(3 * time.Second)
	if prev := s.Cloud().SetReadLag(3 * time.Second); prev != 3*time.Second {
		t.Fatalf("remote Lag set %s, want 3s", prev)
	}
	restore()
	if prev := s.Cloud().SetReadLag(0); prev != 0 {
		t.Fatalf("remote Lag's restore left %s", prev)
	}

	// The cloud's own API still answers on the same endpoint.
	resp, err := http.Get(srv.URL + "/")
	if err != nil || resp.StatusCode != http.StatusTeapot {
		t.Fatalf("the cloud API beside the control API: %v, %v", resp, err)
	}
	resp.Body.Close()
}

func TestControlAPIRefusesBadCalls(t *testing.T) {
	t.Parallel()
	s, _ := newTestSimulator(t)
	r, srv := serveRemotely(t, s)
	if _, err := r.chaos("explode", "test:///z1/vm-1"); err == nil || !strings.Contains(err.Error(), `action "explode" is none of`) {
		t.Errorf("an unknown chaos action: %v", err)
	}
	if _, err := r.Duplicate("test:///z1/vm-missing"); !errors.Is(err, errRemote) {
		t.Errorf("Duplicate of an unknown VM: %v, want a control API error", err)
	}
	var got []error
	r.OnError = func(err error) { got = append(got, err) }
	r.Fail(providers.FaultThrottle, 1) // the test codec has no throttle
	if len(got) != 1 || !strings.Contains(got[0].Error(), `fault "throttle" is none this cloud produces`) {
		t.Errorf("Fail of a fault the cloud lacks reported %v", got)
	}
	for _, c := range []struct{ method, path, body, want string }{
		{http.MethodGet, "nothing", "", "has no GET /_simulator/nothing"},
		{http.MethodPost, "faults", `{"rule":{"count":1}}`, "rule.operation is required"},
		{http.MethodPost, "faults", `{"fault":"quota","rule":{"operation":"*"}}`, "either fault or rule"},
		{http.MethodPut, "lag", `{"lag":"soon"}`, "not valid JSON for this call"},
		{http.MethodPost, "chaos", `{"action":"kill","extra":1}`, `unknown field "extra"`},
		{http.MethodGet, "alive", "", "providerID query parameter is required"},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+ControlPrefix+c.path, strings.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		err = remoteError(c.method+" "+c.path, resp)
		resp.Body.Close()
		if resp.StatusCode/100 != 4 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s %s: %d %v; want a 4xx saying %q", c.method, c.path, c.body, resp.StatusCode, err, c.want)
		}
	}
	if _, err := Dial(context.Background(), "not a url"); err == nil {
		t.Error("Dial accepted an endpoint that is no URL")
	}
}

func TestRawFaultRuleOverTheWire(t *testing.T) {
	t.Parallel()
	s, _ := newTestSimulator(t)
	r, _ := serveRemotely(t, s)
	rule := core.FaultRule{Operation: "ListVMs", Count: 1, Error: &core.FaultError{Code: "Throttled", Status: 429}}
	if err := r.call(context.Background(), http.MethodPost, "faults", FaultRequest{Rule: &rule}, nil); err != nil {
		t.Fatal(err)
	}
	if d := s.Cloud().Intercept("ListVMs", nil); d.Err == nil || d.Err.Code != "Throttled" || d.Err.Status != 429 {
		t.Fatalf("a raw rule posted remotely: %+v", d)
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
