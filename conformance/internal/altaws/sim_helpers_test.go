package altaws_test

import (
	"context"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/machine-conformance/machine-conformance/conformance/internal/altaws"
	"github.com/machine-conformance/machine-conformance/internal/machinecode"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
)

// env is the driver talking to an in-process EC2 simulator over HTTP.
type env struct {
	srv    *ec2.Server
	drv    driver.Driver
	class  *v1alpha1.MachineClass
	secret *corev1.Secret
}

// newEnv starts a simulator on cloud options opts and a driver making at
// most maxAttempts attempts per EC2 call (0: the SDK's default).
func newEnv(t *testing.T, opts core.Options, maxAttempts int) *env {
	t.Helper()
	srv := ec2.NewServer(ec2.Options{Cloud: core.New(opts)})
	t.Cleanup(srv.Close)
	p := altaws.Provider(nil)
	return &env{srv: srv, drv: altaws.New(altaws.Options{Endpoint: srv.URL, MaxAttempts: maxAttempts}),
		class: classOf(p.SampleProviderSpec), secret: &corev1.Secret{Data: p.SampleSecret}}
}

func classOf(spec []byte) *v1alpha1.MachineClass {
	return &v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Name: "workers", Namespace: "ns"},
		Provider: altaws.ClassProvider, ProviderSpec: runtime.RawExtension{Raw: spec}}
}

func machine(name, providerID string) *v1alpha1.Machine {
	return &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID("uid-" + name)},
		Spec: v1alpha1.MachineSpec{ProviderID: providerID}}
}

func (e *env) create(ctx context.Context, name string) (*driver.CreateMachineResponse, error) {
	return e.drv.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: machine(name, ""), MachineClass: e.class, Secret: e.secret})
}

func (e *env) status(ctx context.Context, name string) (*driver.GetMachineStatusResponse, error) {
	return e.drv.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: machine(name, ""), MachineClass: e.class, Secret: e.secret})
}

func (e *env) delete(ctx context.Context, name, providerID string) error {
	_, err := e.drv.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine(name, providerID), MachineClass: e.class, Secret: e.secret})
	return err
}

func (e *env) list(t *testing.T) map[string]string {
	t.Helper()
	resp, err := e.drv.ListMachines(context.Background(), &driver.ListMachinesRequest{MachineClass: e.class, Secret: e.secret})
	if err != nil {
		t.Fatalf("ListMachines: %v", err)
	}
	return resp.MachineList
}

// vm returns the simulator's truth about the instance of providerID.
func (e *env) vm(t *testing.T, providerID string) core.VM {
	t.Helper()
	id, ok := altaws.InstanceID(providerID)
	if !ok {
		t.Fatalf("%q names no instance", providerID)
	}
	vm, err := e.srv.Cloud().Get(id)
	if err != nil {
		t.Fatalf("the simulator does not know %s: %v", id, err)
	}
	return vm
}

// inject puts a running instance named name into cluster, bypassing the API.
func (e *env) inject(cluster, name string) core.VM {
	return e.srv.Inject(core.LaunchSpec{Zone: "us-east-1a", InstanceType: "m5.large", ImageID: ec2.DefaultImage.ID,
		Tags:  map[string]string{"Name": name, altaws.ClusterTagPrefix + cluster: "1", altaws.RoleTagPrefix + "node": "1"},
		Owner: core.Owner{Kind: core.Orphan, Cluster: cluster, Machine: name}})
}

// wantCode fails t unless err carries code.
func wantCode(t *testing.T, what string, err error, code codes.Code) {
	t.Helper()
	got, isStatus := machinecode.Of(err)
	if !isStatus || got != code {
		t.Fatalf("%s: %v (code %s), want %s", what, err, got, code)
	}
	if err != nil && machinecode.Message(err) == "" {
		t.Fatalf("%s: empty message", what)
	}
}
