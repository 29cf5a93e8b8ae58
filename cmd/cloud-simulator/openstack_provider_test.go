package main

import (
	"context"
	"maps"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/openstack"
)

// The registered openstack provider's driver logs in to this command's
// OpenStack cloud with its sample Secret, as the suite does when the
// simulator runs in another process or a cluster (a Keystone identity of
// its own would answer every call 401).
func TestTheOpenStackProviderLogsInWithItsSampleSecret(t *testing.T) {
	t.Parallel()
	env := startCommand(t, 8, "--cloud=openstack", "--pending-for=0s")
	p, err := providers.Get("openstack")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d, err := p.NewDriver(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	class := &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Name: "sample"},
		ProviderSpec: runtime.RawExtension{Raw: p.SampleProviderSpec}}
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "sample"}, Data: maps.Clone(p.SampleSecret)}
	resp, err := d.ListMachines(ctx, &driver.ListMachinesRequest{MachineClass: class, Secret: secret})
	if err != nil {
		t.Fatalf("ListMachines with the provider's sample Secret against cloud-simulator --cloud=openstack (OS_AUTH_URL %s): %v",
			env["OS_AUTH_URL"], err)
	}
	if len(resp.MachineList) != 0 {
		t.Errorf("a fresh simulator lists machines: %v", resp.MachineList)
	}
}
