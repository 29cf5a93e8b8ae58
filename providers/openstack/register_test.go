package openstack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/openstack"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

// started is the registered provider with its simulator and driver.
type started struct {
	p   providers.Provider
	sim *simkit.Simulator
	drv driver.Driver
}

func start(t *testing.T) started {
	t.Helper()
	p, err := providers.Get("openstack")
	if err != nil {
		t.Fatal(err)
	}
	sim := openstack.NewSimulator()
	t.Cleanup(func() { _ = sim.Close() })
	drv, err := p.NewDriver(context.Background(), sim.Env())
	if err != nil {
		t.Fatal(err)
	}
	return started{p: p, sim: sim, drv: drv}
}

func (s started) create(name string, spec []byte, secret map[string][]byte) (*driver.CreateMachineResponse, error) {
	return s.drv.CreateMachine(context.Background(), &driver.CreateMachineRequest{
		Machine:      &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"}},
		MachineClass: &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Name: "class"}, ProviderSpec: runtime.RawExtension{Raw: spec}},
		Secret:       &corev1.Secret{Data: secret},
	})
}

// Every fixture gets the verdict its name promises, through the driver,
// against the simulator.
func TestFixtures(t *testing.T) {
	t.Parallel()
	s := start(t)
	fixtures, err := s.p.LoadFixtures()
	if err != nil {
		t.Fatal(err)
	}
	valid, invalid := 0, 0
	for i, f := range fixtures {
		_, err := s.create("fixture-"+string(rune('a'+i)), f.ProviderSpec, f.Secret)
		code, _ := machinecode.Of(err)
		switch {
		case f.Valid:
			valid++
			if err != nil {
				t.Errorf("%s: %v", f.File, err)
			}
		case code != codes.InvalidArgument || !strings.Contains(err.Error(), f.WantField):
			t.Errorf("%s: %v (%v), want InvalidArgument naming %s", f.File, code, err, f.WantField)
		default:
			invalid++
		}
	}
	if valid < 2 || invalid < 4 {
		t.Errorf("%d valid and %d invalid fixtures passed; want at least 2 and 4", valid, invalid)
	}
	if live := s.sim.LiveVMs(); len(live) != valid {
		t.Errorf("%d servers for %d valid fixtures: %v", len(live), valid, live)
	}
}

// The simulator's VMs of the sample cluster join as nodes named as the
// driver says; the foreign cluster's do not; chaos and the oracle see them.
func TestSimulatorSeesTheDriversServers(t *testing.T) {
	t.Parallel()
	s := start(t)
	ours, err := s.create("m1", s.p.SampleProviderSpec, s.p.SampleSecret)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := s.create("m1", s.p.ForeignProviderSpec, s.p.SampleSecret)
	if err != nil {
		t.Fatal(err)
	}
	if ours.ProviderID == theirs.ProviderID {
		t.Fatalf("one server for two clusters: %s", ours.ProviderID)
	}
	if alive, known := s.sim.Alive(ours.ProviderID); !alive || !known {
		t.Errorf("oracle: %s alive %v known %v", ours.ProviderID, alive, known)
	}
	census := map[string]string{}
	for _, r := range s.sim.Census() {
		census[r.ProviderID] = r.Machine
	}
	if census[ours.ProviderID] != "m1" || census[theirs.ProviderID] != "m1" {
		t.Errorf("census %v lacks the servers of machine m1", census)
	}
	twin, err := s.sim.Duplicate(ours.ProviderID)
	if err != nil || twin == ours.ProviderID || !strings.HasPrefix(twin, "openstack:///"+openstack.Region+"/") {
		t.Fatalf("Duplicate = %q, %v", twin, err)
	}
	if err := s.sim.Kill(twin); err != nil {
		t.Fatal(err)
	}
	if alive, _ := s.sim.Alive(twin); alive {
		t.Errorf("killed twin %s still alive", twin)
	}
}

// Fail turns each generic fault into OpenStack's native answer on
// CreateServer, which the driver maps to the contract's code.
func TestGenericFaultsAreNative(t *testing.T) {
	t.Parallel()
	for fault, want := range map[providers.Fault]codes.Code{
		providers.FaultThrottle: codes.Unavailable,
		providers.FaultCapacity: codes.ResourceExhausted,
		providers.FaultQuota:    codes.ResourceExhausted,
		providers.FaultAuth:     codes.Unauthenticated,
	} {
		t.Run(string(fault), func(t *testing.T) {
			t.Parallel()
			s := start(t)
			remove := s.sim.Fail(fault, 5)
			_, err := s.create("m-"+string(fault), s.p.SampleProviderSpec, s.p.SampleSecret)
			if code, _ := machinecode.Of(err); code != want {
				t.Errorf("CreateMachine under %s: %v (%v), want %v", fault, code, err, want)
			}
			remove()
			if _, err := s.create("m-"+string(fault), s.p.SampleProviderSpec, s.p.SampleSecret); err != nil {
				t.Errorf("CreateMachine after the fault was removed: %v", err)
			}
		})
	}
}

// The endpoint serves simkit's control API beside Keystone.
func TestControlAPIOnTheAuthEndpoint(t *testing.T) {
	t.Parallel()
	s := start(t)
	url := strings.TrimSuffix(s.sim.Env()[openstack.EnvAuthURL], "/v3")
	resp, err := http.Get(url + simkit.ControlPrefix + "env")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env["OS_IDENTITY_API_VERSION"] != "3" || env["OS_REGION_NAME"] != openstack.Region {
		t.Fatalf("control env = %v, %v", env, err)
	}
}
