package memory

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
)

// call is one driver method that takes a MachineClass and a Secret.
type call struct {
	name       string
	perMachine bool
	do         func(d *Driver, m *v1alpha1.Machine, c *v1alpha1.MachineClass, s *corev1.Secret) error
}

var ctx = context.Background()

var secretCalls = []call{
	{"CreateMachine", true, func(d *Driver, m *v1alpha1.Machine, c *v1alpha1.MachineClass, s *corev1.Secret) error {
		_, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: m, MachineClass: c, Secret: s})
		return err
	}},
	{"InitializeMachine", true, func(d *Driver, m *v1alpha1.Machine, c *v1alpha1.MachineClass, s *corev1.Secret) error {
		_, err := d.InitializeMachine(ctx, &driver.InitializeMachineRequest{Machine: m, MachineClass: c, Secret: s})
		return err
	}},
	{"DeleteMachine", true, func(d *Driver, m *v1alpha1.Machine, c *v1alpha1.MachineClass, s *corev1.Secret) error {
		_, err := d.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: m, MachineClass: c, Secret: s})
		return err
	}},
	{"GetMachineStatus", true, func(d *Driver, m *v1alpha1.Machine, c *v1alpha1.MachineClass, s *corev1.Secret) error {
		_, err := d.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: m, MachineClass: c, Secret: s})
		return err
	}},
	{"ListMachines", false, func(d *Driver, _ *v1alpha1.Machine, c *v1alpha1.MachineClass, s *corev1.Secret) error {
		_, err := d.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: c, Secret: s})
		return err
	}},
}

// args are the arguments of one call; a rejection case edits them.
type args struct {
	m *v1alpha1.Machine
	c *v1alpha1.MachineClass
	s *corev1.Secret
}

// TestRejections checks that every method taking a secret rejects bad
// credentials, specs and machines with the right code, naming the field at
// fault, and changes nothing in the cloud.
func TestRejections(t *testing.T) {
	t.Parallel()
	noUserData := secret(DefaultToken)
	delete(noUserData.Data, SecretUserData)
	tests := []struct {
		name       string
		edit       func(a *args)
		perMachine bool // only for the calls that take a Machine
		want       codes.Code
		wantField  string
	}{
		{name: "wrong token", edit: func(a *args) { a.s = secret("wrong") }, want: codes.Unauthenticated},
		{name: "empty token", edit: func(a *args) { a.s = secret("") }, want: codes.InvalidArgument, wantField: "secret.token"},
		{name: "no userData", edit: func(a *args) { a.s = noUserData }, want: codes.InvalidArgument, wantField: "secret.userData"},
		{name: "nil secret", edit: func(a *args) { a.s = nil }, want: codes.InvalidArgument},
		{name: "nil class", edit: func(a *args) { a.c = nil }, want: codes.InvalidArgument},
		{name: "unknown size", edit: func(a *args) { a.c = class(`{"cluster":"a","size":"huge"}`) },
			want: codes.InvalidArgument, wantField: "providerSpec.size"},
		{name: "no cluster", edit: func(a *args) { a.c = class(`{"size":"small"}`) },
			want: codes.InvalidArgument, wantField: "providerSpec.cluster"},
		{name: "unknown field", edit: func(a *args) { a.c = class(`{"cluster":"a","size":"small","color":"red"}`) },
			want: codes.InvalidArgument, wantField: "providerSpec"},
		{name: "empty machine name", edit: func(a *args) { a.m = machine("", "") }, perMachine: true, want: codes.InvalidArgument},
		{name: "nil machine", edit: func(a *args) { a.m = nil }, perMachine: true, want: codes.InvalidArgument},
	}
	for _, c := range secretCalls {
		for _, tc := range tests {
			if tc.perMachine && !c.perMachine {
				continue
			}
			t.Run(c.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				d := New(Options{Initialize: true})
				existing := mustCreate(t, d, "m", specA)
				before := d.Cloud().VMs()
				a := args{machine("m", existing), class(specA), secret(DefaultToken)}
				tc.edit(&a)
				err := c.do(d, a.m, a.c, a.s)
				if got := codeOf(t, err); got != tc.want {
					t.Fatalf("code %s, want %s (%v)", got, tc.want, err)
				}
				if msg := messageOf(t, err); tc.wantField != "" && !strings.Contains(msg, tc.wantField) {
					t.Fatalf("message %q does not name %s", msg, tc.wantField)
				}
				if after := d.Cloud().VMs(); !reflect.DeepEqual(before, after) {
					t.Fatalf("a rejected call changed the cloud: %+v -> %+v", before, after)
				}
			})
		}
	}
}
