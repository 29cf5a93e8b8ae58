package controller

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/controller/rbac"
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
	k8s, err = client.New(env.Config, client.Options{Scheme: scheme}) // the test's own, admin
	Expect(err).NotTo(HaveOccurred())

	// The controller runs as a user bound to nothing but the shipped ClusterRole.
	restricted := bindShippedRole(ctx)
	restricted.Wrap(forbidden.wrap)
	mgr, err := ctrl.NewManager(restricted, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		Cache: CacheOptions("")})
	Expect(err).NotTo(HaveOccurred())

	cloud = newMemCloud()
	fakeTime = clocktesting.NewFakeClock(time.Now())
	ctrlr, err = Setup(ctx, mgr, Options{
		Driver: cloud,
		Clock:  fakeTime,
		// Long on purpose: every wait must end by a wake-up on the fake
		// clock or a watch event, never by polling.
		PollInterval:      10 * time.Second,
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
	Expect(forbidden.seen()).To(BeEmpty(), "the controller was refused by RBAC: controller/rbac/clusterrole.yaml lacks a rule")
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

const controllerUser = "reference-machine-controller"

// bindShippedRole installs controller/rbac/clusterrole.yaml, binds it to a
// fresh user and returns that user's rest.Config.
func bindShippedRole(ctx context.Context) *rest.Config {
	role, err := rbac.ClusterRole()
	Expect(err).NotTo(HaveOccurred())
	Expect(k8s.Create(ctx, role)).To(Succeed())
	Expect(k8s.Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: controllerUser},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: controllerUser}},
	})).To(Succeed())
	cfg, err := env.AddUser(controllerUser, nil)
	Expect(err).NotTo(HaveOccurred())
	return cfg
}

// forbiddenLog records every request the API server refused with 403.
type forbiddenLog struct {
	mu       sync.Mutex
	requests []string
}

var forbidden = &forbiddenLog{}

func (f *forbiddenLog) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := rt.RoundTrip(req)
		if err == nil && resp.StatusCode == http.StatusForbidden {
			f.mu.Lock()
			f.requests = append(f.requests, req.Method+" "+req.URL.Path)
			f.mu.Unlock()
		}
		return resp, err
	})
}

func (f *forbiddenLog) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// memCloud is a minimal, concurrency-safe in-memory driver for the envtest
// tier, with scripted errors per machine name and method. Each namespace
// plays a cluster of its own: a class lists only its namespace's VMs.
type memCloud struct {
	mu        sync.Mutex
	vms       map[string]types.NamespacedName // providerID → machine
	next      int
	script    map[string][]error // "op/machine" → errors returned before success
	exhausted map[string]bool    // namespaces whose quota is used up
	creates   map[string]int     // CreateMachine calls per namespace
	deleted   []string           // provider IDs DeleteMachine removed
}

// exhaust makes every CreateMachine in namespace answer ResourceExhausted,
// or lifts that.
func (c *memCloud) exhaust(namespace string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exhausted[namespace] = on
}

// createCalls counts the CreateMachine calls for machines of namespace.
func (c *memCloud) createCalls(namespace string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.creates[namespace]
}

var _ driver.Driver = (*memCloud)(nil)

func newMemCloud() *memCloud {
	return &memCloud{vms: map[string]types.NamespacedName{}, script: map[string][]error{},
		exhausted: map[string]bool{}, creates: map[string]int{}}
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

func (c *memCloud) addVM(namespace, machine string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	id := fmt.Sprintf("mem:///vm-%d", c.next)
	c.vms[id] = types.NamespacedName{Namespace: namespace, Name: machine}
	return id
}

func (c *memCloud) has(providerID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.vms[providerID]
	return ok
}

func (c *memCloud) find(m *v1alpha1.Machine) string {
	for id, key := range c.vms {
		if key == client.ObjectKeyFromObject(m) {
			return id
		}
	}
	return ""
}

func (c *memCloud) CreateMachine(_ context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	c.mu.Lock()
	c.creates[r.Machine.Namespace]++
	if c.exhausted[r.Machine.Namespace] {
		c.mu.Unlock()
		return nil, status.Error(codes.ResourceExhausted, "quota of instances used up")
	}
	if err := c.scripted(opCreate, r.Machine.Name); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	id := c.find(r.Machine)
	c.mu.Unlock()
	if id == "" {
		id = c.addVM(r.Machine.Namespace, r.Machine.Name)
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
		id = c.find(r.Machine)
	}
	if _, ok := c.vms[id]; ok {
		c.deleted = append(c.deleted, id)
	}
	delete(c.vms, id)
	return &driver.DeleteMachineResponse{}, nil
}

func (c *memCloud) GetMachineStatus(_ context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id := c.find(r.Machine); id != "" {
		return &driver.GetMachineStatusResponse{ProviderID: id, NodeName: r.Machine.Namespace + "-" + r.Machine.Name}, nil
	}
	return nil, status.Error(codes.NotFound, "no VM for "+r.Machine.Name)
}

func (c *memCloud) ListMachines(_ context.Context, r *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]string{}
	for id, key := range c.vms {
		if key.Namespace == r.MachineClass.Namespace {
			out[id] = key.Name
		}
	}
	return &driver.ListMachinesResponse{MachineList: out}, nil
}

func (c *memCloud) GetVolumeIDs(context.Context, *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	return &driver.GetVolumeIDsResponse{}, nil
}
