// Package soak kills and restarts the reference controller at seeded random
// points while a MachineSet grows and shrinks under injected cloud faults
// (throttling, lost create answers, read lag), and then asks the
// simulator's oracle whether anything was lost: a VM without a Machine, a
// Machine with two VMs, a finalizer that never goes. One seed is one
// scenario; the same seed replays the same schedule of faults, sizes and
// kills (the interleaving with the controller's goroutines is the
// machine's own).
package soak

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/sampleset"
	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/providers"
)

// Options configure a soak run.
type Options struct {
	// Provider must have a simulator with providers.Chaos and NodeJoiner.
	Provider providers.Provider
	// Cluster configures the embedded control plane.
	Cluster testcluster.Options
	// Settle bounds each wait for the controller to converge. Zero: 60 s.
	Settle time.Duration
}

// Result is the outcome of one seed.
type Result struct {
	Seed     uint64
	Scenario string // what the seed chose, for the report line
	Kills    int
	Problems []string // empty when nothing was lost
	Took     time.Duration
}

// Runner holds what seeds share: the control plane and the simulator.
type Runner struct {
	opts      Options
	cluster   *testcluster.Cluster
	simulator providers.Simulator
	chaos     providers.Chaos
	admin     client.Client
	scheme    *runtime.Scheme
	env       map[string]string
	lister    driver.Driver // the oracle's second opinion: ListMachines for the judges
	stop      []func() error
}

// Start brings up the control plane, the simulator and node joining.
func Start(ctx context.Context, opts Options) (r *Runner, err error) {
	if opts.Settle == 0 {
		opts.Settle = 60 * time.Second
	}
	r = &Runner{opts: opts, scheme: runtime.NewScheme()}
	defer func() {
		if err != nil {
			err = errors.Join(err, r.Close())
		}
	}()
	if opts.Provider.NewSimulator == nil {
		return r, fmt.Errorf("soak: provider %s has no simulator", opts.Provider.Name)
	}
	if r.simulator, err = opts.Provider.NewSimulator(ctx); err != nil {
		return r, err
	}
	r.stop = append(r.stop, r.simulator.Close)
	var ok bool
	if r.chaos, ok = r.simulator.(providers.Chaos); !ok {
		return r, fmt.Errorf("soak: the %s simulator offers no chaos controls", opts.Provider.Name)
	}
	joiner, ok := r.simulator.(providers.NodeJoiner)
	if !ok {
		return r, fmt.Errorf("soak: the %s simulator does not join nodes", opts.Provider.Name)
	}
	r.env = r.simulator.Env()
	if r.lister, err = opts.Provider.NewDriver(ctx, maps.Clone(r.env)); err != nil {
		return r, err
	}
	if r.cluster, err = testcluster.Start(ctx, opts.Cluster); err != nil {
		return r, err
	}
	r.stop = append(r.stop, r.cluster.Stop)
	if err = controller.AddToScheme(r.scheme); err != nil {
		return r, err
	}
	if r.admin, err = client.New(r.cluster.Config, client.Options{Scheme: r.scheme}); err != nil {
		return r, err
	}
	stopJoining, err := joiner.JoinNodes(r.cluster.Config, nil)
	if err != nil {
		return r, err
	}
	r.stop = append(r.stop, stopJoining)
	return r, nil
}

// Close stops everything Start started.
func (r *Runner) Close() error {
	var errs []error
	for i := len(r.stop) - 1; i >= 0; i-- {
		errs = append(errs, r.stop[i]())
	}
	r.stop = nil
	return errors.Join(errs...)
}

// running is one incarnation of the controller.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

// startController starts a fresh manager with the reference controller, on
// the real clock with short periods so a seed converges in seconds.
func (r *Runner) startController(namespace string) (*running, error) {
	d, err := r.opts.Provider.NewDriver(context.Background(), maps.Clone(r.env))
	if err != nil {
		return nil, err
	}
	skip := true
	mgr, err := ctrl.NewManager(r.cluster.Config, ctrl.Options{Scheme: r.scheme,
		Metrics:    metricsserver.Options{BindAddress: "0"},
		Cache:      controller.CacheOptions(namespace),
		Controller: config.Controller{SkipNameValidation: &skip}})
	if err != nil {
		return nil, err
	}
	if _, err := controller.Setup(context.Background(), mgr, controller.Options{
		Driver: d, Namespace: namespace, PollInterval: 200 * time.Millisecond, RetryInterval: 50 * time.Millisecond,
		ShortRetry: 200 * time.Millisecond, MediumRetry: 500 * time.Millisecond, ResourceExhaustedRetry: 500 * time.Millisecond,
		LongRetry: time.Second, SafetySweepPeriod: time.Second, CreationTimeout: 30 * time.Second,
	}); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	run := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { run.done <- mgr.Start(ctx) }()
	return run, nil
}

// kill stops the controller abruptly: in-flight driver calls are cancelled
// wherever they are, as in a crash.
func (run *running) kill() { run.cancel(); <-run.done }

// Seed runs scenario seed and judges it.
func (r *Runner) Seed(ctx context.Context, seed uint64) Result {
	start := time.Now()
	rng := rand.New(rand.NewPCG(seed, 0x50a4))
	s := newScenario(rng)
	res := Result{Seed: seed, Scenario: s.String()}
	problems, kills := r.play(ctx, seed, s, rng)
	res.Problems, res.Kills, res.Took = problems, kills, time.Since(start)
	return res
}

// play drives one scenario: faults on, scale up, kills, scale down, kills,
// faults off, a last restart, and the oracle's verdict.
func (r *Runner) play(ctx context.Context, seed uint64, s scenario, rng *rand.Rand) ([]string, int) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("soak-%d", seed)}}
	if err := r.admin.Create(ctx, ns); err != nil {
		return []string{"creating namespace: " + err.Error()}, 0
	}
	secret, class, ms, err := sampleset.Create(ctx, r.admin, r.opts.Provider, ns.Name, "soak", s.replicas)
	if err != nil {
		return []string{err.Error()}, 0
	}
	restore := s.injectFaults(r.chaos)
	run, err := r.startController(ns.Name)
	if err != nil {
		restore()
		return []string{"starting the controller: " + err.Error()}, 0
	}
	kills := 0
	for _, phase := range []int32{s.replicas, 0} {
		if err := sampleset.Scale(ctx, r.admin, ms, phase); err != nil {
			run.kill()
			restore()
			return []string{err.Error()}, kills
		}
		for range s.killsPerPhase {
			time.Sleep(time.Duration(rng.Int64N(int64(s.maxKillDelay))))
			run.kill()
			kills++
			time.Sleep(time.Duration(rng.Int64N(int64(200 * time.Millisecond))))
			if run, err = r.startController(ns.Name); err != nil {
				restore()
				return []string{"restarting the controller: " + err.Error()}, kills
			}
		}
		if phase > 0 {
			restore() // let the set converge, then judge it
			problems := r.judgeGrown(ctx, ns.Name, class, secret, ms)
			if len(problems) > 0 {
				run.kill()
				r.cleanUp(ctx, ns.Name)
				return problems, kills
			}
			restore = s.injectFaults(r.chaos)
		}
	}
	restore()
	defer run.kill()
	return r.judgeShrunk(ctx, ns.Name, class, secret, ms), kills
}
