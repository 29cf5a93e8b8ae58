package conformance

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/controller/rbac"
	"github.com/machine-conformance/machine-conformance/internal/drivercalls"
	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/providers"
)

// harness is everything one run shares: the control plane, the provider's
// driver and simulator, the reference controller and a kubelet stand-in.
type harness struct {
	cfg       Config
	cluster   *testcluster.Cluster // the embedded control plane; nil on Config.Kubeconfig's cluster
	config    *rest.Config         // the cluster's, as its admin
	simulator providers.Simulator
	driver    driver.Driver
	admin     client.Client
	clock     *clocktesting.FakeClock
	ctrl      *controller.Controller
	namespace string
	// role is the shipped ClusterRole; requests records what the
	// controller, bound to nothing else, asked and was refused.
	role     *rbacv1.ClusterRole
	requests *requestLog
	// controllerPod is the deployed controller's pod, in a cluster, and
	// simulatorPort the first of its simulator's ports on the node.
	controllerPod string
	simulatorPort int32
	// held names machines whose VMs must not join as nodes.
	held sync.Map
	// spec tracks what the running spec created (see tracker.go).
	spec *tracker
	// secrets looks for the class Secret's values in everything printed;
	// out captures what the process prints and logs (see capture.go).
	secrets *secretScanner
	out     *output
	// trace records phases and the controller's driver calls (trace.go).
	trace *traceRecorder
	// env is what the driver was built with (simulator settings, Config.Env).
	env  map[string]string
	stop []func() error // run in reverse by close
}

// hold keeps a machine's VM from joining as a node, and isHeld asks.
func (h *harness) hold(machineName string)        { h.held.Store(machineName, true) }
func (h *harness) isHeld(machineName string) bool { _, ok := h.held.Load(machineName); return ok }

// controllerUser is the identity the reference controller runs as; it is
// bound to the shipped ClusterRole and nothing else.
const controllerUser = "reference-machine-controller"

func startHarness(ctx context.Context, cfg Config) (h *harness, err error) {
	h = &harness{cfg: cfg}
	defer func() {
		if err != nil {
			err = errors.Join(err, h.close())
		}
	}()
	if err = h.watchForSecrets(); err != nil {
		return h, err
	}
	scheme := runtime.NewScheme()
	if err = controller.AddToScheme(scheme); err != nil {
		return h, err
	}
	if err = h.connect(ctx, scheme); err != nil {
		return h, err
	}
	if err = h.startSimulator(ctx); err != nil {
		return h, err
	}
	if h.driver, err = cfg.Provider.NewDriver(ctx, h.env); err != nil {
		return h, fmt.Errorf("building the %s driver: %w", cfg.Provider.Name, err)
	}
	if err = checkSampleCredentials(ctx, h); err != nil {
		return h, err
	}
	h.trace = newTraceRecorder()
	watchCtx, stopWatching := context.WithCancel(context.Background())
	h.stop = append(h.stop, func() error { stopWatching(); return nil })
	if err = h.trace.watchMachines(watchCtx, h, scheme); err != nil {
		return h, err
	}
	switch {
	case h.inCluster():
		err = h.deployController(ctx)
	case cfg.Controller == ControllerMCM:
		err = h.startMCM(ctx)
	default:
		err = h.startController(ctx, scheme)
	}
	if err != nil {
		return h, err
	}
	if joiner, ok := h.simulator.(providers.NodeJoiner); ok {
		stopJoining, err := joiner.JoinNodes(h.config, h.isHeld)
		if err != nil {
			return h, fmt.Errorf("joining the %s simulator's VMs as nodes: %w", cfg.Provider.Name, err)
		}
		h.stop = append(h.stop, stopJoining)
		return h, nil
	}
	oracle, _ := h.simulator.(providers.Oracle)
	stopKubelet := startKubelet(h.admin, kubeletOptions{every: 100 * time.Millisecond, namespace: h.namespace,
		held: h.isHeld, oracle: oracle, sharedCluster: h.inCluster()})
	h.stop = append(h.stop, func() error { stopKubelet(); return nil })
	return h, nil
}

// startSimulator starts the provider's simulator, if it has one: in this
// process, or in the cluster next to the controller (in_cluster.go). The
// driver's settings are its environment, then Config.Env.
func (h *harness) startSimulator(ctx context.Context) (err error) {
	env := map[string]string{}
	switch {
	case h.cfg.Provider.NewSimulator == nil:
	case h.inCluster():
		if h.simulator, err = h.deploySimulator(ctx); err != nil {
			return err
		}
	default:
		if h.simulator, err = h.cfg.Provider.NewSimulator(ctx); err != nil {
			return fmt.Errorf("starting the %s simulator: %w", h.cfg.Provider.Name, err)
		}
		h.stop = append(h.stop, h.simulator.Close)
	}
	if h.simulator != nil {
		maps.Copy(env, h.simulator.Env())
	}
	maps.Copy(env, h.cfg.Env)
	h.env = env
	return nil
}

// shippedClusterRole is the role the reference controller runs under:
// controller/rbac/clusterrole.yaml. Tests that prove the rbac group catches
// a missing rule replace it (export_test.go).
var shippedClusterRole = rbac.ClusterRole

func (h *harness) startController(ctx context.Context, scheme *runtime.Scheme) error {
	role, err := shippedClusterRole()
	if err != nil {
		return err
	}
	if err := h.admin.Create(ctx, role); err != nil {
		return fmt.Errorf("installing the shipped ClusterRole: %w", err)
	}
	binding := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: controllerUser},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: controllerUser}},
	}
	if err := h.admin.Create(ctx, binding); err != nil {
		return err
	}
	restricted, err := h.cluster.AddUser(controllerUser, nil)
	if err != nil {
		return err
	}
	h.role, h.requests = role, newRequestLog()
	restricted.Wrap(h.requests.wrap)
	restricted.QPS, restricted.Burst = 200, 400 // as cmd/machine-controller's defaults; client-go's 5 and 10 throttle the scale group
	mgr, err := ctrl.NewManager(restricted, ctrl.Options{Scheme: scheme, Logger: h.out.logger,
		Metrics: metricsserver.Options{BindAddress: "0"}, Cache: controller.CacheOptions("")})
	if err != nil {
		return err
	}
	h.clock = clocktesting.NewFakeClock(time.Now())
	h.stop = append(h.stop, followRealTime(h.clock))
	h.ctrl, err = controller.Setup(ctx, mgr, controller.Options{
		Driver:            drivercalls.Wrap(h.driver, h.trace.record),
		Clock:             h.clock,
		PollInterval:      5 * time.Second, // waits end by wake-ups on the clock and watch events
		RetryInterval:     50 * time.Millisecond,
		SafetySweepPeriod: -1, // specs sweep explicitly
	})
	if err != nil {
		return err
	}
	mctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mctx) }()
	h.stop = append(h.stop, func() error { cancel(); return <-done })
	return nil
}

// followRealTime advances clock with real time, so the controller's retry
// periods pass as they would under MCM, while specs step it ahead past
// timeouts of minutes. It returns a function that stops it.
func followRealTime(clock *clocktesting.FakeClock) func() error {
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		ticker := time.NewTicker(50 * time.Millisecond)
		defer ticker.Stop()
		last := time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-ticker.C:
				clock.Step(now.Sub(last))
				last = now
			}
		}
	}()
	return func() error { close(done); <-stopped; return nil }
}

// close stops everything startHarness started, last first.
func (h *harness) close() error {
	var errs []error
	for i := len(h.stop) - 1; i >= 0; i-- {
		errs = append(errs, h.stop[i]())
	}
	h.stop = nil
	return errors.Join(errs...)
}

// newClass creates a MachineClass with the provider's sample spec and a
// Secret with its sample data, both named name.
func (h *harness) newClass(ctx context.Context, name string) (*v1alpha1.MachineClass, *corev1.Secret, error) {
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: h.namespace, Name: name},
		Data: maps.Clone(h.cfg.Provider.SampleSecret)}
	if err := h.admin.Create(ctx, sec); err != nil {
		return nil, nil, err
	}
	if h.spec != nil {
		h.spec.addSecret(sec)
	}
	cls := &v1alpha1.MachineClass{
		ObjectMeta:   metav1.ObjectMeta{Namespace: h.namespace, Name: name},
		ProviderSpec: runtime.RawExtension{Raw: h.cfg.Provider.SampleProviderSpec},
		SecretRef:    &corev1.SecretReference{Namespace: h.namespace, Name: name},
		Provider:     h.cfg.Provider.MachineClassProvider(),
	}
	if err := h.admin.Create(ctx, cls); err != nil {
		return nil, nil, err
	}
	if h.spec != nil {
		h.spec.addClass(cls)
	}
	return cls, sec, nil
}
