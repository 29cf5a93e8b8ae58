package awsdriver_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/aws"
	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// fixture is the driver pointed at a fresh EC2 simulator, over the wire.
type fixture struct {
	srv    *ec2.Server
	drv    *awsdriver.Driver
	class  *v1alpha1.MachineClass
	secret *corev1.Secret
}

func newFixture(t *testing.T, opts core.Options) *fixture {
	t.Helper()
	p, err := providers.Get("aws")
	if err != nil {
		t.Fatal(err)
	}
	srv := ec2.NewServer(ec2.Options{Cloud: core.New(opts)})
	t.Cleanup(srv.Close)
	return &fixture{
		srv: srv, drv: awsdriver.New(awsdriver.Options{Endpoint: srv.URL, MaxAttempts: 1}),
		class:  &v1alpha1.MachineClass{ProviderSpec: runtime.RawExtension{Raw: p.SampleProviderSpec}},
		secret: &corev1.Secret{Data: p.SampleSecret},
	}
}

func machine(name, providerID string) *v1alpha1.Machine {
	return &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID("uid-" + name)},
		Spec: v1alpha1.MachineSpec{ProviderID: providerID}}
}

func (f *fixture) create(t *testing.T, name string) *driver.CreateMachineResponse {
	t.Helper()
	resp, err := f.drv.CreateMachine(context.Background(), &driver.CreateMachineRequest{Machine: machine(name, ""), MachineClass: f.class, Secret: f.secret})
	if err != nil {
		t.Fatalf("CreateMachine %s: %v", name, err)
	}
	return resp
}

func (f *fixture) list(t *testing.T) map[string]string {
	t.Helper()
	resp, err := f.drv.ListMachines(context.Background(), &driver.ListMachinesRequest{MachineClass: f.class, Secret: f.secret})
	if err != nil {
		t.Fatal(err)
	}
	return resp.MachineList
}

func codeOf(t *testing.T, err error) codes.Code {
	t.Helper()
	code, isStatus := machinecode.Of(err)
	if !isStatus {
		t.Fatalf("%v is not a machine status", err)
	}
	return code
}

func TestCreateListDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, core.Options{})
	first := f.create(t, "m1")
	second := f.create(t, "m1")
	if first.ProviderID != second.ProviderID || first.NodeName == "" {
		t.Fatalf("create is not idempotent: %+v then %+v", first, second)
	}
	foreign := f.srv.Cloud().Inject(core.LaunchSpec{IDPrefix: "i-", IDDigits: 17, Zone: "us-east-1a",
		Tags: map[string]string{"kubernetes.io/cluster/other": "1", "kubernetes.io/role/node": "1", "Name": "m1"}})
	listed := f.list(t)
	if len(listed) != 1 || listed[first.ProviderID] != "m1" {
		t.Fatalf("ListMachines %v, want only %s (foreign %s)", listed, first.ProviderID, foreign.ID)
	}
	st, err := f.drv.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: machine("m1", ""), MachineClass: f.class, Secret: f.secret})
	if err != nil || st.ProviderID != first.ProviderID || st.NodeName != first.NodeName {
		t.Fatalf("GetMachineStatus %+v, %v", st, err)
	}
	// Deleting with the foreign VM's provider ID must not touch it.
	if _, err := f.drv.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("nobody", awsdriver.ProviderID("us-east-1a", foreign.ID)),
		MachineClass: f.class, Secret: f.secret}); err != nil {
		t.Fatal(err)
	}
	if vm, _ := f.srv.Cloud().Get(foreign.ID); vm.State() != core.Running {
		t.Fatalf("a foreign VM was terminated: %s", vm.State())
	}
	if _, err := f.drv.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("m1", first.ProviderID), MachineClass: f.class, Secret: f.secret}); err != nil {
		t.Fatal(err)
	}
	if got := f.list(t); len(got) != 0 {
		t.Fatalf("after delete: %v", got)
	}
	_, err = f.drv.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: machine("m1", ""), MachineClass: f.class, Secret: f.secret})
	if codeOf(t, err) != codes.NotFound {
		t.Fatalf("status after delete: %v", err)
	}
	_, err = f.drv.DeleteMachine(ctx, &driver.DeleteMachineRequest{Machine: machine("m1", first.ProviderID), MachineClass: f.class, Secret: f.secret})
	if codeOf(t, err) != codes.OK {
		t.Fatalf("deleting an absent VM: %v", err)
	}
}

func TestTwoVMsForOneMachineAreOutOfRange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	f.create(t, "twin")
	f.srv.Cloud().Inject(core.LaunchSpec{IDPrefix: "i-", IDDigits: 17, Zone: "us-east-1a",
		Tags: map[string]string{"kubernetes.io/cluster/conformance": "1", "kubernetes.io/role/node": "1", "Name": "twin"}})
	_, err := f.drv.GetMachineStatus(context.Background(), &driver.GetMachineStatusRequest{Machine: machine("twin", ""), MachineClass: f.class, Secret: f.secret})
	if codeOf(t, err) != codes.OutOfRange {
		t.Fatalf("got %v, want OutOfRange", err)
	}
}

func TestClientTokenSurvivesALostAnswer(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{Faults: []core.FaultRule{{Name: "lost", Operation: "RunInstances", Count: 1, CommitThenFail: true,
		Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}}}})
	_, err := f.drv.CreateMachine(context.Background(), &driver.CreateMachineRequest{Machine: machine("m1", ""), MachineClass: f.class, Secret: f.secret})
	if codeOf(t, err) != codes.Unavailable {
		t.Fatalf("a lost answer with retries off: %v, want Unavailable", err)
	}
	// The controller retries: the same machine, the same client token, no second VM.
	f.create(t, "m1")
	if n := len(f.srv.Cloud().Live()); n != 1 {
		t.Fatalf("%d VMs for one machine", n)
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		fault  *core.FaultError
		secret map[string][]byte
		want   codes.Code
	}{
		{"capacity", &core.FaultError{Code: "InsufficientInstanceCapacity", Status: 500}, nil, codes.ResourceExhausted},
		{"instance limit", &core.FaultError{Code: "InstanceLimitExceeded", Status: 400}, nil, codes.ResourceExhausted},
		{"throttled", &core.FaultError{Code: "RequestLimitExceeded", Status: 503}, nil, codes.Unavailable},
		{"forbidden", &core.FaultError{Code: "UnauthorizedOperation", Status: 403}, nil, codes.PermissionDenied},
		{"bad credentials", nil, map[string][]byte{awsdriver.SecretSecretAccessKey: []byte("wrong")}, codes.Unauthenticated},
		{"bad spec", nil, map[string][]byte{awsdriver.SecretUserData: nil}, codes.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := core.Options{}
			if tc.fault != nil {
				opts.Faults = []core.FaultRule{{Name: tc.name, Operation: "RunInstances", Error: tc.fault}}
			}
			f := newFixture(t, opts)
			sec := f.secret.DeepCopy()
			for k, v := range tc.secret {
				sec.Data[k] = v
			}
			_, err := f.drv.CreateMachine(context.Background(), &driver.CreateMachineRequest{Machine: machine("m1", ""), MachineClass: f.class, Secret: sec})
			if got := codeOf(t, err); got != tc.want {
				t.Fatalf("code %s, want %s (%v)", got, tc.want, err)
			}
			if n := len(f.srv.Cloud().Live()); n != 0 {
				t.Fatalf("a failed create left %d VMs", n)
			}
		})
	}
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	p, _ := providers.Get("aws")
	fixtures, err := p.LoadFixtures()
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("%v (%d fixtures)", err, len(fixtures))
	}
	for _, fx := range fixtures {
		_, errs := awsdriver.DecodeSpec(fx.ProviderSpec, fx.Secret)
		found := false
		for _, e := range errs {
			found = found || e.Field == fx.WantField
		}
		if fx.Valid && len(errs) > 0 || !fx.Valid && !found {
			t.Errorf("%s: valid=%v want field %q, got %v", fx.File, fx.Valid, fx.WantField, errs)
		}
	}
}

func TestGetVolumeIDs(t *testing.T) {
	t.Parallel()
	resp, err := awsdriver.New(awsdriver.Options{}).GetVolumeIDs(context.Background(), &driver.GetVolumeIDsRequest{PVSpecs: []*corev1.PersistentVolumeSpec{
		{PersistentVolumeSource: corev1.PersistentVolumeSource{AWSElasticBlockStore: &corev1.AWSElasticBlockStoreVolumeSource{VolumeID: "aws://us-east-1a/vol-1"}}},
		{PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: "ebs.csi.aws.com", VolumeHandle: "vol-2"}}},
		{PersistentVolumeSource: corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: "other", VolumeHandle: "x"}}},
	}})
	if err != nil || len(resp.VolumeIDs) != 2 || resp.VolumeIDs[0] != "vol-1" || resp.VolumeIDs[1] != "vol-2" {
		t.Fatalf("%+v, %v", resp, err)
	}
}

func TestRootVolumeSizedThroughDescribeImages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, core.Options{})
	f.class.ProviderSpec.Raw = []byte(`{"ami":"` + ec2.DefaultImage.ID + `","region":"us-east-1","machineType":"m5.large",` +
		`"iam":{"name":"nodes"},"networkInterfaces":[{"subnetID":"subnet-0a1b2c3d"}],"blockDevices":[{"ebs":{"volumeSize":64}}],` +
		`"tags":{"kubernetes.io/cluster/conformance":"1","kubernetes.io/role/node":"1"}}`)
	f.create(t, "m1")
	vms := f.srv.Cloud().Live()
	if len(vms) != 1 || !strings.Contains(vms[0].Attrs["blockDeviceVolumes"], `"device":"`+ec2.DefaultImage.RootDeviceName+`","id":`) ||
		!strings.Contains(vms[0].Attrs["blockDeviceVolumes"], `"sizeGiB":64`) {
		t.Fatalf("root volume not resized: %+v", vms)
	}
	described := false
	for _, ev := range f.srv.Cloud().Events() {
		described = described || ev.Operation == "DescribeImages"
	}
	if !described {
		t.Error("the driver did not ask DescribeImages for the root device")
	}
}
