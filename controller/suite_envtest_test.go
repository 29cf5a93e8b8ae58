package controller

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/runtime"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/internal/testcluster"
)

// TestEnvtest runs the controller against a real kube-apiserver and etcd.
// It is the slow tier: -short skips it.
func TestEnvtest(t *testing.T) {
	if testing.Short() {
		t.Skip("envtest tier skipped under -short")
	}
	RegisterFailHandler(Fail)
	RunSpecs(t, "reference controller on envtest")
}

var (
	env      *testcluster.Cluster
	k8s      client.Client
	cloud    *memCloud
	fakeTime *clocktesting.FakeClock
	ctrlr    *Controller
	stopMgr  context.CancelFunc
	mgrDone  = make(chan struct{})
)

var _ = BeforeSuite(func() {
	ctrl.SetLogger(zap.New(zap.WriteTo(GinkgoWriter), zap.UseDevMode(true)))
	ctx := context.Background()
	var err error
	env, err = testcluster.Start(ctx, testcluster.Options{})
	Expect(err).NotTo(HaveOccurred())

	scheme := runtime.NewScheme()
	Expect(AddToScheme(scheme)).To(Succeed())
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}})
	Expect(err).NotTo(HaveOccurred())
	k8s = mgr.GetClient()

	cloud = newMemCloud()
	fakeTime = clocktesting.NewFakeClock(time.Now())
	ctrlr, err = Setup(ctx, mgr, Options{
		Driver:            cloud,
		Clock:             fakeTime,
		PollInterval:      100 * time.Millisecond,
		RetryInterval:     20 * time.Millisecond,
		SafetySweepPeriod: -1, // specs call Sweep themselves
	})
	Expect(err).NotTo(HaveOccurred())
	Expect(ctrlr.Served).To(ConsistOf("Machine", "MachineClass", "MachineSet"))

	mctx, cancel := context.WithCancel(ctx)
	stopMgr = cancel
	go func() {
		defer GinkgoRecover()
		defer close(mgrDone)
		Expect(mgr.Start(mctx)).To(Succeed())
	}()
})

var _ = AfterSuite(func() {
	if stopMgr != nil {
		stopMgr()
		<-mgrDone
	}
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// memCloud is a minimal, concurrency-safe in-memory driver for the envtest
// tier, with scripted errors per machine name and method.
type memCloud struct {
	mu     sync.Mutex
	vms    map[string]string // providerID → machine name
	next   int
	script map[string][]error // "op/machine" → errors returned before success
}

var _ driver.Driver = (*memCloud)(nil)

func newMemCloud() *memCloud {
	return &memCloud{vms: map[string]string{}, script: map[string][]error{}}
}

func (c *memCloud) failNext(op operation, machine string, errs ...error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.script[string(op)+"/"+machine] = append(c.script[string(op)+"/"+machine], errs...)
}

// scripted pops the next scripted error; callers hold c.mu.
func (c *memCloud) scripted(op operation, machine string) error {
	key := string(op) + "/" + machine
	if errs := c.script[key]; len(errs) > 0 {
		c.script[key] = errs[1:]
		return errs[0]
	}
	return nil
}

func (c *memCloud) addVM(machine string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	id := fmt.Sprintf("mem:///vm-%d", c.next)
	c.vms[id] = machine
	return id
}

func (c *memCloud) has(providerID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.vms[providerID]
	return ok
}

func (c *memCloud) find(machine string) string {
	for id, name := range c.vms {
		if name == machine {
			return id
		}
	}
	return ""
}

func (c *memCloud) CreateMachine(_ context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	c.mu.Lock()
	if err := c.scripted(opCreate, r.Machine.Name); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	id := c.find(r.Machine.Name)
	c.mu.Unlock()
	if id == "" {
		id = c.addVM(r.Machine.Name)
	}
	return &driver.CreateMachineResponse{ProviderID: id, NodeName: r.Machine.Namespace + "-" + r.Machine.Name}, nil
}

func (c *memCloud) InitializeMachine(context.Context, *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	return nil, status.Error(codes.Unimplemented, "no initialization")
}

func (c *memCloud) DeleteMachine(_ context.Context, r *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.scripted(opDelete, r.Machine.Name); err != nil {
		return nil, err
	}
	id := r.Machine.Spec.ProviderID
	if id == "" {
		id = c.find(r.Machine.Name)
	}
	delete(c.vms, id)
	return &driver.DeleteMachineResponse{}, nil
}

func (c *memCloud) GetMachineStatus(_ context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id := c.find(r.Machine.Name); id != "" {
		return &driver.GetMachineStatusResponse{ProviderID: id, NodeName: r.Machine.Namespace + "-" + r.Machine.Name}, nil
	}
	return nil, status.Error(codes.NotFound, "no VM for "+r.Machine.Name)
}

func (c *memCloud) ListMachines(context.Context, *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]string, len(c.vms))
	for id, name := range c.vms {
		out[id] = name
	}
	return &driver.ListMachinesResponse{MachineList: out}, nil
}

func (c *memCloud) GetVolumeIDs(context.Context, *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	return &driver.GetVolumeIDsResponse{}, nil
}
