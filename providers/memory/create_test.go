package memory

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
)

func createReq(name, spec string) *driver.CreateMachineRequest {
	return &driver.CreateMachineRequest{Machine: machine(name, ""), MachineClass: class(spec), Secret: secret(DefaultToken)}
}

var providerIDRE = regexp.MustCompile(`^memory:///([a-z0-9-]+)/vm-[0-9a-f]{8}$`)

func TestCreateMachine(t *testing.T) {
	t.Parallel()
	const full = `{"cluster":"a","role":"infra","size":"medium","zone":"zone-c","tags":{"team":"x"}}`
	tests := []struct {
		name    string
		opts    Options
		setup   func(t *testing.T, d *Driver) string // returns the provider ID a same-VM answer must carry
		spec    string
		want    codes.Code
		sameID  bool // the answer is the VM setup made
		wantVMs int
	}{
		{name: "new VM, defaults", spec: specA, want: codes.OK, wantVMs: 1},
		{name: "new VM, every field", spec: full, want: codes.OK, wantVMs: 1},
		{name: "idempotent", spec: specA, want: codes.OK, sameID: true, wantVMs: 1,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "compatible despite other zone", spec: `{"cluster":"a","size":"small","zone":"zone-b"}`, want: codes.OK, sameID: true, wantVMs: 1,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "incompatible size", spec: `{"cluster":"a","size":"large"}`, want: codes.AlreadyExists, wantVMs: 1,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "same name in another cluster", spec: specA, want: codes.OK, wantVMs: 2,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("b", "m", "") }},
		{name: "quota reached, cloud-wide", opts: Options{MaxVMs: 1}, spec: specA, want: codes.ResourceExhausted, wantVMs: 1,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("b", "x", "") }},
		{name: "quota not reached", opts: Options{MaxVMs: 2}, spec: specA, want: codes.OK, wantVMs: 2,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("b", "x", "") }},
		{name: "quota full, existing VM still returned", opts: Options{MaxVMs: 1}, spec: specA, want: codes.OK, sameID: true, wantVMs: 1,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "no quota", spec: specA, want: codes.OK, wantVMs: 6,
			setup: func(_ *testing.T, d *Driver) string {
				for range 5 {
					d.Cloud().AddVM("a", "other", "")
				}
				return ""
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := New(tc.opts)
			var setupID string
			if tc.setup != nil {
				setupID = tc.setup(t, d)
			}
			resp, err := d.CreateMachine(t.Context(), createReq("m", tc.spec))
			if got := codeOf(t, err); got != tc.want {
				t.Fatalf("code %s, want %s (%v)", got, tc.want, err)
			}
			if n := len(d.Cloud().VMs()); n != tc.wantVMs {
				t.Fatalf("%d VMs, want %d", n, tc.wantVMs)
			}
			if tc.want != codes.OK {
				return
			}
			if resp.NodeName != "m" || !providerIDRE.MatchString(resp.ProviderID) {
				t.Fatalf("response %+v: want NodeName m and a memory:///<zone>/vm-<8 hex> ProviderID", resp)
			}
			if tc.sameID != (resp.ProviderID == setupID) {
				t.Fatalf("ProviderID %s, setup's VM %s, want same=%v", resp.ProviderID, setupID, tc.sameID)
			}
		})
	}
}

func TestCreateMachineRemembersTheSpec(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want VM
	}{
		{specA, VM{Cluster: "a", Role: DefaultRole, Zone: DefaultZone, Size: "small", MachineName: "m", State: StateRunning}},
		{`{"cluster":"a","role":"infra","size":"medium","zone":"zone-c","tags":{"team":"x"}}`,
			VM{Cluster: "a", Role: "infra", Zone: "zone-c", Size: "medium", MachineName: "m", State: StateRunning, Tags: map[string]string{"team": "x"}}},
	}
	for _, tc := range tests {
		d := New(Options{})
		id := mustCreate(t, d, "m", tc.spec)
		vms := d.Cloud().VMs()
		if len(vms) != 1 {
			t.Fatalf("%s: %d VMs", tc.spec, len(vms))
		}
		got := vms[0]
		if got.ProviderID != id || id != "memory:///"+tc.want.Zone+"/"+got.ID {
			t.Errorf("%s: ProviderID %s, VM %s in %s", tc.spec, id, got.ID, got.Zone)
		}
		tc.want.ID, tc.want.ProviderID = got.ID, got.ProviderID
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: VM %+v, want %+v", tc.spec, got, tc.want)
		}
	}
}
