package altaws_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"

	"github.com/machine-conformance/machine-conformance/conformance/internal/altaws"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
)

var regionForm = regexp.MustCompile(`^aws:///us-east-1/i-[0-9a-f]{17}$`)

// TestLifecycle: Create → GetMachineStatus → List → Delete →
// GetMachineStatus(NotFound), through the provider's NewDriver.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{}, 0)
	drv, err := altaws.Provider(nil).NewDriver(ctx, map[string]string{altaws.EnvEndpoint: e.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	e.drv = drv

	created, err := e.create(ctx, "m1")
	wantCode(t, "CreateMachine", err, codes.OK)
	if !regionForm.MatchString(created.ProviderID) {
		t.Fatalf("ProviderID %q is not aws:///<region>/<instance-id>", created.ProviderID)
	}
	vm := e.vm(t, created.ProviderID)
	if created.NodeName == "" || created.NodeName != ec2.NodeIdentity(vm).Name {
		t.Fatalf("NodeName %q, the instance's private DNS name is %q", created.NodeName, ec2.NodeIdentity(vm).Name)
	}
	for k, v := range map[string]string{"Name": "m1", "kubernetes.io/cluster/conformance": "1", "kubernetes.io/role/node": "1"} {
		if vm.Tags[k] != v {
			t.Errorf("tag %s=%q, want %q (tags %v)", k, vm.Tags[k], v, vm.Tags)
		}
	}
	if string(vm.UserData) != "#cloud-config\n" || vm.Zone != "us-east-1a" || vm.InstanceType != "m5.large" || len(vm.ClientToken) != 64 {
		t.Errorf("launched %+v", vm)
	}
	// The simulator keeps launch volumes in an attribute; the sample asks for a 50 GiB root.
	if !strings.Contains(vm.Attrs["blockDeviceVolumes"], `"device":"/dev/xvda"`) || !strings.Contains(vm.Attrs["blockDeviceVolumes"], `"sizeGiB":50`) {
		t.Errorf("root volume not resized: %s", vm.Attrs["blockDeviceVolumes"])
	}

	again, err := e.create(ctx, "m1")
	wantCode(t, "CreateMachine again", err, codes.OK)
	if again.ProviderID != created.ProviderID || again.NodeName != created.NodeName {
		t.Fatalf("a second CreateMachine gave %+v, the first %+v", again, created)
	}

	got, err := e.status(ctx, "m1")
	wantCode(t, "GetMachineStatus", err, codes.OK)
	if got.ProviderID != created.ProviderID || got.NodeName != created.NodeName {
		t.Fatalf("GetMachineStatus %+v, created %+v", got, created)
	}

	// Another cluster's VM of the same name is neither seen nor touched.
	foreign := e.inject("someone-else", "m1")
	if l := e.list(t); len(l) != 1 || l[created.ProviderID] != "m1" {
		t.Fatalf("ListMachines = %v, want only %s", l, created.ProviderID)
	}
	_, err = e.status(ctx, "m1")
	wantCode(t, "GetMachineStatus beside a foreign twin", err, codes.OK)
	wantCode(t, "DeleteMachine of a foreign VM", e.delete(ctx, "nobody", altaws.ProviderID("us-east-1", foreign.ID)), codes.OK)
	if vm, _ := e.srv.Cloud().Get(foreign.ID); vm.State() != core.Running {
		t.Fatalf("the foreign VM is %s", vm.State())
	}

	wantCode(t, "DeleteMachine", e.delete(ctx, "m1", created.ProviderID), codes.OK)
	if s := e.vm(t, created.ProviderID).State(); s != core.ShuttingDown && s != core.Terminated {
		t.Fatalf("after DeleteMachine the VM is %s", s)
	}
	_, err = e.status(ctx, "m1")
	wantCode(t, "GetMachineStatus after delete", err, codes.NotFound)
	if l := e.list(t); len(l) != 0 {
		t.Fatalf("ListMachines after delete = %v", l)
	}
	wantCode(t, "DeleteMachine again", e.delete(ctx, "m1", created.ProviderID), codes.OK)
	wantCode(t, "DeleteMachine of an unknown instance", e.delete(ctx, "m1", "aws:///us-east-1/i-0000000000000000f"), codes.OK)
}

// TestDeleteByNameAndTwins: without a ProviderID the machine's VMs are
// found by name; two of them are OutOfRange for GetMachineStatus and both
// go on delete.
func TestDeleteByNameAndTwins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{}, 1)
	created, err := e.create(ctx, "m2")
	wantCode(t, "CreateMachine", err, codes.OK)
	twin := e.inject("conformance", "m2")
	_, err = e.status(ctx, "m2")
	wantCode(t, "GetMachineStatus with a twin", err, codes.OutOfRange)
	first, _ := altaws.InstanceID(created.ProviderID)
	if msg := err.Error(); !strings.Contains(msg, first) || !strings.Contains(msg, twin.ID) {
		t.Fatalf("OutOfRange message %q does not list %s and %s", msg, first, twin.ID)
	}
	wantCode(t, "DeleteMachine by name", e.delete(ctx, "m2", ""), codes.OK)
	for _, id := range []string{first, twin.ID} {
		if vm, _ := e.srv.Cloud().Get(id); !slices.Contains([]core.State{core.ShuttingDown, core.Terminated}, vm.State()) {
			t.Errorf("%s is %s after DeleteMachine", id, vm.State())
		}
	}
	_, err = e.status(ctx, "m2")
	wantCode(t, "GetMachineStatus after delete", err, codes.NotFound)
}

// TestRequestChecks: a request the driver cannot serve fails before EC2.
func TestRequestChecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{}, 1)
	_, err := e.create(ctx, "")
	wantCode(t, "CreateMachine without a name", err, codes.InvalidArgument)
	e.class.Provider = "aws"
	_, err = e.create(ctx, "m3")
	wantCode(t, "CreateMachine of another provider's class", err, codes.InvalidArgument)
	if !strings.Contains(err.Error(), `got "aws"`) || !strings.Contains(err.Error(), `"AWS"`) {
		t.Fatalf("message %q does not say which provider it got and wants", err)
	}
	_, err = e.drv.InitializeMachine(ctx, nil)
	wantCode(t, "InitializeMachine", err, codes.Unimplemented)
	if n := len(e.srv.Cloud().Events()); n != 0 {
		t.Fatalf("refused requests reached EC2: %v", e.srv.Cloud().Events())
	}
}
