package memory

import (
	"context"
	"errors"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func class(spec string) *v1alpha1.MachineClass {
	return &v1alpha1.MachineClass{ProviderSpec: runtime.RawExtension{Raw: []byte(spec)}}
}

func secret(token string) *corev1.Secret {
	return &corev1.Secret{Data: map[string][]byte{SecretToken: []byte(token), SecretUserData: []byte("#!")}}
}

func machine(name, providerID string) *v1alpha1.Machine {
	return &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1alpha1.MachineSpec{ProviderID: providerID}}
}

const specA = `{"cluster":"a","size":"small"}`

func codeOf(t *testing.T, err error) codes.Code {
	t.Helper()
	if err == nil {
		return codes.OK
	}
	var st *status.Status
	if !errors.As(err, &st) {
		t.Fatalf("error %v is not a machine status", err)
	}
	return st.Code()
}

func TestCreateIsIdempotentAndScoped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := New(Options{})
	req := &driver.CreateMachineRequest{Machine: machine("m1", ""), MachineClass: class(specA), Secret: secret(DefaultToken)}
	first, err := d.CreateMachine(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := d.CreateMachine(ctx, req)
	if err != nil || second.ProviderID != first.ProviderID || second.NodeName != "m1" {
		t.Fatalf("second create: %+v, %v (first %s)", second, err, first.ProviderID)
	}
	if n := len(d.Cloud().VMs()); n != 1 {
		t.Fatalf("%d VMs after two creates, want 1", n)
	}
	// Same name, other cluster: another VM.
	other := &driver.CreateMachineRequest{Machine: machine("m1", ""), MachineClass: class(`{"cluster":"b","size":"small"}`), Secret: secret(DefaultToken)}
	if resp, err := d.CreateMachine(ctx, other); err != nil || resp.ProviderID == first.ProviderID {
		t.Fatalf("other cluster: %+v, %v", resp, err)
	}
	// Same name and cluster, other size: AlreadyExists.
	bigger := &driver.CreateMachineRequest{Machine: machine("m1", ""), MachineClass: class(`{"cluster":"a","size":"large"}`), Secret: secret(DefaultToken)}
	if _, err := d.CreateMachine(ctx, bigger); codeOf(t, err) != codes.AlreadyExists {
		t.Fatalf("incompatible create: %v", err)
	}
}

func TestErrorCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		opts Options
		call func(d *Driver) error
		want codes.Code
	}{
		{"bad token", Options{}, func(d *Driver) error {
			_, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: machine("m", ""), MachineClass: class(specA), Secret: secret("wrong")})
			return err
		}, codes.Unauthenticated},
		{"invalid spec", Options{}, func(d *Driver) error {
			_, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: machine("m", ""), MachineClass: class(`{"size":"small"}`), Secret: secret(DefaultToken)})
			return err
		}, codes.InvalidArgument},
		{"unknown field", Options{}, func(d *Driver) error {
			_, err := d.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: class(`{"cluster":"a","size":"small","color":"red"}`), Secret: secret(DefaultToken)})
			return err
		}, codes.InvalidArgument},
		{"empty machine name", Options{}, func(d *Driver) error {
			_, err := d.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.InvalidArgument},
		{"quota", Options{MaxVMs: 1}, func(d *Driver) error {
			d.Cloud().AddVM("a", "other", "")
			_, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: machine("m", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.ResourceExhausted},
		{"delete absent", Options{}, func(d *Driver) error {
			_, err := d.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("ghost", "memory:///zone-a/vm-x"), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.OK},
		{"status absent", Options{}, func(d *Driver) error {
			_, err := d.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: machine("ghost", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.NotFound},
		{"status duplicate", Options{}, func(d *Driver) error {
			d.Cloud().AddVM("a", "twin", "")
			d.Cloud().AddVM("a", "twin", "")
			_, err := d.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: machine("twin", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.OutOfRange},
		{"initialize unimplemented", Options{}, func(d *Driver) error {
			_, err := d.InitializeMachine(ctx, &driver.InitializeMachineRequest{Machine: machine("m", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.Unimplemented},
		{"initialize absent", Options{Initialize: true}, func(d *Driver) error {
			_, err := d.InitializeMachine(ctx, &driver.InitializeMachineRequest{Machine: machine("m", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
			return err
		}, codes.NotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := codeOf(t, tc.call(New(tc.opts))); got != tc.want {
				t.Fatalf("code %s, want %s", got, tc.want)
			}
		})
	}
}

func TestDeleteAndListStayInTheirCluster(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := New(Options{})
	foreign := d.Cloud().AddVM("b", "m1", "")
	resp, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: machine("m1", ""), MachineClass: class(specA), Secret: secret(DefaultToken)})
	if err != nil {
		t.Fatal(err)
	}
	list, err := d.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: class(specA), Secret: secret(DefaultToken)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.MachineList) != 1 || list.MachineList[resp.ProviderID] != "m1" {
		t.Fatalf("list %v, want only %s", list.MachineList, resp.ProviderID)
	}
	// Deleting by the foreign VM's provider ID from cluster a must not touch it.
	if _, err := d.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("m1", foreign), MachineClass: class(specA), Secret: secret(DefaultToken)}); err != nil {
		t.Fatal(err)
	}
	if n := len(d.Cloud().VMs()); n != 2 {
		t.Fatalf("a foreign VM was deleted: %d VMs left", n)
	}
	if _, err := d.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("m1", ""), MachineClass: class(specA), Secret: secret(DefaultToken)}); err != nil {
		t.Fatal(err)
	}
	vms := d.Cloud().VMs()
	if len(vms) != 1 || vms[0].ProviderID != foreign {
		t.Fatalf("after delete by name: %+v", vms)
	}
}

func TestGetVolumeIDs(t *testing.T) {
	t.Parallel()
	resp, err := New(Options{}).GetVolumeIDs(context.Background(), &driver.GetVolumeIDsRequest{PVSpecs: []*corev1.PersistentVolumeSpec{
		{PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: CSIDriver, VolumeHandle: "vol-1"}}},
		{PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: "other", VolumeHandle: "vol-2"}}},
		nil,
	}})
	if err != nil || len(resp.VolumeIDs) != 1 || resp.VolumeIDs[0] != "vol-1" {
		t.Fatalf("got %+v, %v", resp, err)
	}
}
