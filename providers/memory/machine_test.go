package memory

import (
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
)

func TestInitializeMachine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   Options
		setup  func(t *testing.T, d *Driver) string
		token  string
		want   codes.Code
		wantID bool // the answer carries setup's provider ID
	}{
		{name: "unimplemented by default", token: DefaultToken, want: codes.Unimplemented,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "unimplemented comes before credentials", token: "wrong", want: codes.Unimplemented},
		{name: "initialized", opts: Options{Initialize: true}, token: DefaultToken, want: codes.OK, wantID: true,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "absent", opts: Options{Initialize: true}, token: DefaultToken, want: codes.NotFound},
		{name: "only another cluster's VM", opts: Options{Initialize: true}, token: DefaultToken, want: codes.NotFound,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("b", "m", "") }},
		{name: "vanished", opts: Options{Initialize: true}, token: DefaultToken, want: codes.NotFound,
			setup: func(t *testing.T, d *Driver) string { d.Cloud().Remove(mustCreate(t, d, "m", specA)); return "" }},
		{name: "wrong token", opts: Options{Initialize: true}, token: "wrong", want: codes.Unauthenticated,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := New(tc.opts)
			var id string
			if tc.setup != nil {
				id = tc.setup(t, d)
			}
			resp, err := d.InitializeMachine(t.Context(), &driver.InitializeMachineRequest{
				Machine: machine("m", ""), MachineClass: class(specA), Secret: secret(tc.token)})
			if got := codeOf(t, err); got != tc.want {
				t.Fatalf("code %s, want %s (%v)", got, tc.want, err)
			}
			if tc.wantID && (resp.ProviderID != id || resp.NodeName != "m") {
				t.Fatalf("response %+v, want ProviderID %s and NodeName m", resp, id)
			}
		})
	}
}

func TestDeleteMachine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		setup    func(t *testing.T, d *Driver) string // provider ID for the Machine, if byID
		byID     bool
		wantLeft int
	}{
		{name: "by provider ID", byID: true, wantLeft: 0,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "by provider ID, whatever name the VM carries", byID: true, wantLeft: 0,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("a", "other", "") }},
		{name: "by name", wantLeft: 0,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "by name removes every VM of the name", wantLeft: 0,
			setup: func(_ *testing.T, d *Driver) string {
				d.Cloud().AddVM("a", "m", "")
				return d.Cloud().AddVM("a", "m", "zone-b")
			}},
		{name: "absent", wantLeft: 0},
		{name: "absent provider ID", byID: true, wantLeft: 0,
			setup: func(t *testing.T, d *Driver) string {
				id := mustCreate(t, d, "m", specA)
				d.Cloud().Remove(id)
				return id
			}},
		{name: "another cluster's provider ID is left alone", byID: true, wantLeft: 1,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("b", "m", "") }},
		{name: "another cluster's VM of the name is left alone", wantLeft: 1,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("b", "m", "") }},
		{name: "other machines are left alone", wantLeft: 2,
			setup: func(t *testing.T, d *Driver) string {
				mustCreate(t, d, "n", specA)
				d.Cloud().AddVM("a", "orphan", "")
				return mustCreate(t, d, "m", specA)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := New(Options{})
			var id string
			if tc.setup != nil {
				id = tc.setup(t, d)
			}
			if !tc.byID {
				id = ""
			}
			req := &driver.DeleteMachineRequest{Machine: machine("m", id), MachineClass: class(specA), Secret: secret(DefaultToken)}
			for i := range 2 { // idempotent: the second call finds nothing and is OK too
				if _, err := d.DeleteMachine(t.Context(), req); codeOf(t, err) != codes.OK {
					t.Fatalf("delete #%d: %v", i+1, err)
				}
			}
			if n := len(d.Cloud().VMs()); n != tc.wantLeft {
				t.Fatalf("%d VMs left, want %d: %+v", n, tc.wantLeft, d.Cloud().VMs())
			}
		})
	}
}

func TestGetMachineStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, d *Driver) string // the VM an OK answer names
		want  codes.Code
	}{
		{name: "present", want: codes.OK,
			setup: func(t *testing.T, d *Driver) string { return mustCreate(t, d, "m", specA) }},
		{name: "injected VM of the name", want: codes.OK,
			setup: func(_ *testing.T, d *Driver) string { return d.Cloud().AddVM("a", "m", "zone-b") }},
		{name: "duplicate in another cluster does not count", want: codes.OK,
			setup: func(t *testing.T, d *Driver) string {
				d.Cloud().AddVM("b", "m", "")
				return mustCreate(t, d, "m", specA)
			}},
		{name: "absent", want: codes.NotFound},
		{name: "only another cluster's VM", want: codes.NotFound,
			setup: func(_ *testing.T, d *Driver) string { d.Cloud().AddVM("b", "m", ""); return "" }},
		{name: "vanished", want: codes.NotFound,
			setup: func(t *testing.T, d *Driver) string { d.Cloud().Remove(mustCreate(t, d, "m", specA)); return "" }},
		{name: "two VMs carry the name", want: codes.OutOfRange,
			setup: func(_ *testing.T, d *Driver) string {
				d.Cloud().AddVM("a", "m", "")
				return d.Cloud().AddVM("a", "m", "")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := New(Options{})
			var id string
			if tc.setup != nil {
				id = tc.setup(t, d)
			}
			resp, err := d.GetMachineStatus(t.Context(), &driver.GetMachineStatusRequest{
				Machine: machine("m", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			if got := codeOf(t, err); got != tc.want {
				t.Fatalf("code %s, want %s (%v)", got, tc.want, err)
			}
			if tc.want == codes.OK && (resp.ProviderID != id || resp.NodeName != "m") {
				t.Fatalf("response %+v, want ProviderID %s and NodeName m", resp, id)
			}
		})
	}
}
