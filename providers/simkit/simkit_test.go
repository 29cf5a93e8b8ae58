package simkit

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
)

// testCodec names VMs "test:///<zone>/<id>" and knows one native fault.
type testCodec struct{}

func (testCodec) VMID(providerID string) string {
	return providerID[strings.LastIndex(providerID, "/")+1:]
}
func (testCodec) ProviderID(vm core.VM) string        { return "test:///" + vm.Zone + "/" + vm.ID }
func (testCodec) MachineName(vm core.VM) string       { return vm.Tags["name"] }
func (testCodec) CreateOperation() string             { return "CreateVM" }
func (testCodec) Node(core.VM) (nodes.Identity, bool) { return nodes.Identity{}, false }
func (testCodec) Fault(f providers.Fault) (core.FaultRule, bool) {
	if f != providers.FaultQuota {
		return core.FaultRule{}, false
	}
	return core.FaultRule{Error: &core.FaultError{Code: "OverQuota", Status: http.StatusForbidden}}, true
}

func newTestSimulator(t *testing.T) (*Simulator, core.VM) {
	t.Helper()
	cloud := core.New(core.Options{})
	vms, err := cloud.Launch(core.LaunchSpec{IDPrefix: "vm-", IDDigits: 8, Zone: "z1", Tags: map[string]string{"name": "m1"},
		Owner: core.Owner{Kind: core.Managed, Cluster: "c", Machine: "m1"}})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	s := New(Options{Cloud: cloud, Codec: testCodec{}, Env: map[string]string{"ENDPOINT": "http://x"}, Close: func() { closed = true }})
	t.Cleanup(func() {
		if err := s.Close(); err != nil || !closed {
			t.Errorf("Close: %v, front-end closed %v", err, closed)
		}
	})
	return s, vms[0]
}

func TestChaosAndOracleThroughTheCodec(t *testing.T) {
	t.Parallel()
	s, vm := newTestSimulator(t)
	id := "test:///z1/" + vm.ID

	twin, err := s.Duplicate(id)
	if err != nil || twin == id || !strings.HasPrefix(twin, "test:///z1/vm-") {
		t.Fatalf("Duplicate(%s) = %q, %v; want a new ID in the same form", id, twin, err)
	}
	if live := s.LiveVMs(); !slices.Contains(live, id) || !slices.Contains(live, twin) {
		t.Fatalf("LiveVMs = %v; want both %s and its twin %s", live, id, twin)
	}
	if alive, known := s.Alive(twin); !alive || !known {
		t.Fatalf("Alive(twin) = %v, %v", alive, known)
	}
	if err := s.Vanish(twin); err != nil {
		t.Fatal(err)
	}
	if alive, known := s.Alive(twin); alive || !known {
		t.Fatalf("Alive(vanished twin) = %v, %v; want dead but known", alive, known)
	}
	if _, known := s.Alive("test:///z1/vm-never"); known {
		t.Fatal("a VM the cloud never had is known")
	}
	census := s.Census()
	if len(census) != 2 {
		t.Fatalf("Census = %+v; want the VM and its vanished twin", census)
	}
	for _, r := range census {
		if r.Machine != "m1" {
			t.Errorf("census record %+v: want machine m1 (the twin keeps its original's machine)", r)
		}
		if vanished := r.ProviderID == "test:////"+strings.TrimPrefix(twin, "test:///z1/"); r.Gone != vanished {
			t.Errorf("census record %+v: Gone should be %v", r, vanished)
		}
	}
	if _, err := s.Duplicate("test:///z1/vm-missing"); err == nil {
		t.Fatal("Duplicate of an unknown VM succeeded")
	}
}

func TestFailUsesTheCloudsNativeFaultOnItsCreateOperation(t *testing.T) {
	t.Parallel()
	s, _ := newTestSimulator(t)
	remove := s.Fail(providers.FaultQuota, 1)
	d := s.Cloud().Intercept("CreateVM", nil)
	if d.Err == nil || d.Err.Code != "OverQuota" {
		t.Fatalf("CreateVM after Fail(quota): %+v; want OverQuota", d)
	}
	if d := s.Cloud().Intercept("CreateVM", nil); d.Err != nil {
		t.Fatalf("the fault fired past its count: %+v", d)
	}
	remove()
	defer func() {
		if recover() == nil {
			t.Error("Fail with a fault the codec lacks did not panic")
		}
	}()
	s.Fail(providers.FaultThrottle, 1)
}

func TestEnvIsACopy(t *testing.T) {
	t.Parallel()
	s, _ := newTestSimulator(t)
	s.Env()["ENDPOINT"] = "changed"
	if got := s.Env()["ENDPOINT"]; got != "http://x" {
		t.Fatalf("Env()[ENDPOINT] = %q after a caller changed its copy", got)
	}
}
