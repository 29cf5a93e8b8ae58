package osdriver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gophercloud/gophercloud/v2"
	openstackclient "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
	"github.com/machine-conformance/machine-conformance/providers/openstack"
	"github.com/machine-conformance/machine-conformance/providers/openstack/osdriver"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	ossim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// fixture is the driver pointed at a fresh OpenStack simulator, over the
// wire: only the Keystone URL is shared.
type fixture struct {
	srv    *ossim.Server
	drv    *osdriver.Driver
	class  *v1alpha1.MachineClass
	secret *corev1.Secret
}

func newFixture(t *testing.T, opts core.Options) *fixture {
	t.Helper()
	srv := ossim.NewServer(ossim.Options{Cloud: core.New(opts), Region: openstack.Region, Domain: openstack.Domain,
		Project: openstack.Project, Users: []ossim.User{openstack.User}})
	t.Cleanup(srv.Close)
	return &fixture{
		srv:    srv,
		drv:    osdriver.New(osdriver.Options{AuthURL: srv.URL + "/v3", BuildTimeout: 10 * time.Second}),
		class:  &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Name: "class"}, ProviderSpec: runtime.RawExtension{Raw: openstack.SampleProviderSpec}},
		secret: &corev1.Secret{Data: openstack.SampleSecret},
	}
}

func machine(name, providerID string) *v1alpha1.Machine {
	return &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"}, Spec: v1alpha1.MachineSpec{ProviderID: providerID}}
}

func (f *fixture) createErr(name string) (*driver.CreateMachineResponse, error) {
	return f.drv.CreateMachine(context.Background(), &driver.CreateMachineRequest{Machine: machine(name, ""), MachineClass: f.class, Secret: f.secret})
}

func (f *fixture) create(t *testing.T, name string) *driver.CreateMachineResponse {
	t.Helper()
	resp, err := f.createErr(name)
	if err != nil {
		t.Fatalf("CreateMachine %s: %v", name, err)
	}
	return resp
}

func (f *fixture) status(name string) (*driver.GetMachineStatusResponse, error) {
	return f.drv.GetMachineStatus(context.Background(), &driver.GetMachineStatusRequest{Machine: machine(name, ""), MachineClass: f.class, Secret: f.secret})
}

func (f *fixture) delete(name, providerID string) error {
	_, err := f.drv.DeleteMachine(context.Background(), &driver.DeleteMachineRequest{Machine: machine(name, providerID), MachineClass: f.class, Secret: f.secret})
	return err
}

func (f *fixture) list(t *testing.T) map[string]string {
	t.Helper()
	resp, err := f.drv.ListMachines(context.Background(), &driver.ListMachinesRequest{MachineClass: f.class, Secret: f.secret})
	if err != nil {
		t.Fatal(err)
	}
	return resp.MachineList
}

// inject puts a running server named name with metadata of cluster into
// the cloud without the API, as another cluster or a duplicate would.
func (f *fixture) inject(name, cluster string) core.VM {
	return f.srv.Inject(core.LaunchSpec{Attrs: map[string]string{ossim.AttrName: name},
		Tags: map[string]string{osdriver.ClusterKeyPrefix + cluster: "1", osdriver.RoleKeyPrefix + "node": "1"}})
}

func codeOf(t *testing.T, err error) codes.Code {
	t.Helper()
	code, isStatus := machinecode.Of(err)
	if !isStatus {
		t.Fatalf("%v is not a machine status", err)
	}
	return code
}

// ports counts the Neutron ports named name, asking the simulator through
// gophercloud as any client would.
func (f *fixture) ports(t *testing.T, name string) int {
	t.Helper()
	ctx := context.Background()
	provider, err := openstackclient.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: f.srv.URL + "/v3",
		Username: openstack.User.Name, Password: openstack.User.Password, DomainName: openstack.Domain.Name, TenantName: openstack.Project.Name})
	if err != nil {
		t.Fatal(err)
	}
	network, err := openstackclient.NewNetworkV2(provider, gophercloud.EndpointOpts{Region: openstack.Region})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := ports.List(network, ports.ListOpts{Name: name}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found, err := ports.ExtractPorts(pages)
	if err != nil {
		t.Fatal(err)
	}
	return len(found)
}
