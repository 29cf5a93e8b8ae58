package aws_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/aws"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

// envSimulatorChild makes this test binary play a simulator process.
const envSimulatorChild = "AWS_SIMULATOR_CHILD"

// TestSimulatorChild is the other process: it serves the aws simulator,
// prints its endpoint and lives until its stdin closes.
func TestSimulatorChild(t *testing.T) {
	if os.Getenv(envSimulatorChild) == "" {
		t.Skip("runs as the child of TestRemoteSimulatorIsSteeredThroughItsControlAPI")
	}
	sim := aws.NewSimulator()
	defer sim.Close()
	fmt.Printf("endpoint=%s\n", sim.Env()[aws.EnvEndpoint])
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
}

// The driver talks to a simulator in another process over EC2's API; the
// test steers that simulator only through its control API.
func TestRemoteSimulatorIsSteeredThroughItsControlAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSimulatorChild$")
	cmd.Env = append(os.Environ(), envSimulatorChild+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	endpoint, found := strings.CutPrefix(strings.TrimSpace(line), "endpoint=")
	if err != nil || !found {
		t.Fatalf("the child printed %q (%v), not its endpoint", line, err)
	}

	remote, err := simkit.Dial(ctx, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	remote.OnError = func(err error) { t.Errorf("control API: %v", err) }
	p, err := providers.Get("aws")
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.NewDriver(ctx, remote.Env())
	if err != nil {
		t.Fatal(err)
	}
	class := &v1alpha1.MachineClass{ProviderSpec: runtime.RawExtension{Raw: p.SampleProviderSpec}}
	secret := &corev1.Secret{Data: p.SampleSecret}
	m := &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: "remote-1", Namespace: "ns"}}

	resp, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: m, MachineClass: class, Secret: secret})
	if err != nil {
		t.Fatalf("CreateMachine against the remote simulator: %v", err)
	}
	if alive, known := remote.Alive(resp.ProviderID); !alive || !known {
		t.Fatalf("the oracle, asked remotely, says %s alive=%v known=%v", resp.ProviderID, alive, known)
	}
	census := remote.Census()
	if len(census) != 1 || census[0].Machine != "remote-1" {
		t.Fatalf("remote census %+v; want the one VM of remote-1", census)
	}

	// Chaos over the wire changes what the driver sees.
	if _, err := remote.Duplicate(resp.ProviderID); err != nil {
		t.Fatal(err)
	}
	m.Spec.ProviderID = resp.ProviderID
	_, err = d.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: m, MachineClass: class, Secret: secret})
	if code, _ := machinecode.Of(err); code != codes.OutOfRange {
		t.Fatalf("GetMachineStatus after a remote Duplicate: %v; want OutOfRange", err)
	}
	if live := remote.LiveVMs(); len(live) != 2 {
		t.Fatalf("remote LiveVMs %v; want the VM and its twin", live)
	}

	// So do faults: the cloud's own quota answer, then none.
	remove := remote.Fail(providers.FaultQuota, 1)
	other := &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Name: "remote-2", Namespace: "ns"}}
	_, err = d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: other, MachineClass: class, Secret: secret})
	if code, _ := machinecode.Of(err); code != codes.ResourceExhausted {
		t.Fatalf("CreateMachine under a remote quota fault: %v; want ResourceExhausted", err)
	}
	remove()
	if _, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: other, MachineClass: class, Secret: secret}); err != nil {
		t.Fatalf("CreateMachine after the remote fault was removed: %v", err)
	}
}
