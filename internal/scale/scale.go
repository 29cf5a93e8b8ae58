// Package scale measures how fast the reference controller, a provider's
// driver and its simulator take a MachineSet of N machines to Running and
// back to none, on the embedded control plane, and how close that comes
// to what this box's API server can take at all (measured in the same
// run). cmd/bench-scale prints the result as one line beginning "scale:".
//
// It is a benchmark, never a test: nothing here asserts a time.
package scale

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/sampleset"
	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/providers"
)

// Options configure a run.
type Options struct {
	// N is the MachineSet's size. Required.
	N int
	// Provider must have a simulator that joins nodes.
	Provider providers.Provider
	// Cluster configures the embedded control plane.
	Cluster testcluster.Options
	// Progress receives a line every ProgressEvery; nil prints none.
	Progress      io.Writer
	ProgressEvery time.Duration
	// Timeout bounds each of the two waits. Zero: 30 minutes.
	Timeout time.Duration
	// CeilingFor is how long the API server's ceiling is probed. Zero: 5 s.
	CeilingFor time.Duration
	// AllRunning, if set, is called once all N machines are Running, before
	// the MachineSet is scaled down, with the control plane's admin
	// config: the moment of the run's largest caches (cmd/bench-scale
	// writes its heap profiles there). Its time counts in neither Running
	// nor Deleted.
	AllRunning func(*rest.Config)
}

// Result is what one run measured.
type Result struct {
	N                int
	Running, Deleted time.Duration
	// WritesPerMachine counts the controller's API writes (create, update,
	// patch, delete) over the whole run, per machine.
	WritesPerMachine float64
	// WriteRate is the controller's writes per second while machines
	// came up.
	WriteRate float64
	// PeakRSS is the peak resident memory of this process and its children
	// (kube-apiserver, etcd), in bytes.
	PeakRSS int64
	// WritesByRequest splits WritesPerMachine by method and resource
	// ("PATCH machines/status"), most first.
	WritesByRequest []RequestWrites
	// Timings are the controller's reconcilers' counts and mean times.
	Timings []ControllerTiming
	// PeakRSSByProcess splits PeakRSS by command name.
	PeakRSSByProcess map[string]int64
	// Ceiling is the API server's writes per second under the probe.
	Ceiling float64
}

// String is the one "scale:" line.
func (r Result) String() string {
	return fmt.Sprintf("scale: %d machines Running in %.1f s (%.1f/s), deleted in %.1f s; %.1f API writes per machine; peak RSS %d MB; ceiling %.0f writes/s (%.0f%% used)",
		r.N, r.Running.Seconds(), float64(r.N)/r.Running.Seconds(), r.Deleted.Seconds(), r.WritesPerMachine,
		r.PeakRSS>>20, r.Ceiling, 100*r.WriteRate/r.Ceiling)
}

// Run starts the control plane, measures its ceiling, starts the
// simulator, node joining and the reference controller, and times a
// MachineSet of N up to Running and down to none.
func Run(ctx context.Context, opts Options) (res Result, err error) {
	if opts.N <= 0 {
		return res, fmt.Errorf("scale: N must be positive, not %d", opts.N)
	}
	opts.Timeout = cmp.Or(opts.Timeout, 30*time.Minute)
	opts.CeilingFor = cmp.Or(opts.CeilingFor, 5*time.Second)
	opts.ProgressEvery = cmp.Or(opts.ProgressEvery, 5*time.Second)
	if opts.Provider.NewSimulator == nil {
		return res, fmt.Errorf("scale: provider %s has no simulator", opts.Provider.Name)
	}
	res.N = opts.N
	var stops []func() error
	defer func() {
		for i := len(stops) - 1; i >= 0; i-- {
			err = errors.Join(err, stops[i]())
		}
	}()
	cluster, err := testcluster.Start(ctx, opts.Cluster)
	if err != nil {
		return res, err
	}
	stops = append(stops, cluster.Stop)
	scheme := runtime.NewScheme()
	if err := controller.AddToScheme(scheme); err != nil {
		return res, err
	}
	fast := rest.CopyConfig(cluster.Config)
	fast.QPS, fast.Burst = 5000, 10000 // the bench's own client must not be the wall
	admin, err := client.New(fast, client.Options{Scheme: scheme})
	if err != nil {
		return res, err
	}
	if res.Ceiling, err = measureCeiling(ctx, admin, opts.CeilingFor); err != nil {
		return res, err
	}

	sim, err := opts.Provider.NewSimulator(ctx)
	if err != nil {
		return res, err
	}
	stops = append(stops, sim.Close)
	joiner, ok := sim.(providers.NodeJoiner)
	if !ok {
		return res, fmt.Errorf("scale: the %s simulator does not join nodes", opts.Provider.Name)
	}
	stopJoining, err := joiner.JoinNodes(cluster.Config, nil)
	if err != nil {
		return res, err
	}
	stops = append(stops, stopJoining)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "scale-"}}
	if err := admin.Create(ctx, ns); err != nil {
		return res, err
	}
	// The controller watches the run's namespace only: the probe's
	// Machines stay behind (envtest has no namespace controller).
	writes := &writeCounter{}
	stopController, err := startController(ctx, opts.Provider, sim.Env(), cluster.Config, scheme, ns.Name, writes)
	if err != nil {
		return res, err
	}
	stops = append(stops, stopController)

	_, _, ms, err := sampleset.Create(ctx, admin, opts.Provider, ns.Name, "scale", int32(opts.N))
	if err != nil {
		return res, err
	}
	start := time.Now()
	if err := waitFor(ctx, admin, ms, "Running", opts, func(running, total int) bool { return running >= opts.N }); err != nil {
		return res, err
	}
	res.Running = time.Since(start)
	res.WriteRate = float64(writes.total()) / res.Running.Seconds()
	if opts.AllRunning != nil {
		opts.AllRunning(cluster.Config)
	}

	if err := sampleset.Scale(ctx, admin, ms, 0); err != nil {
		return res, err
	}
	start = time.Now()
	if err := waitFor(ctx, admin, ms, "left", opts, func(_, total int) bool { return total == 0 }); err != nil {
		return res, err
	}
	res.Deleted = time.Since(start)

	res.WritesPerMachine = float64(writes.total()) / float64(opts.N)
	res.PeakRSSByProcess = peakRSSByProcess(os.Getpid())
	for _, b := range res.PeakRSSByProcess {
		res.PeakRSS += b
	}
	res.WritesByRequest = writes.perMachine(opts.N)
	if res.Timings, err = controllerTimings(); err != nil {
		return res, err
	}
	return res, nil
}

// startController runs the reference controller as the conformance
// harness does (real clock, its short poll and retry intervals), counting
// every write it sends.
func startController(ctx context.Context, p providers.Provider, env map[string]string, cfg *rest.Config,
	scheme *runtime.Scheme, namespace string, writes *writeCounter) (func() error, error) {
	d, err := p.NewDriver(ctx, maps.Clone(env))
	if err != nil {
		return nil, err
	}
	counted := rest.CopyConfig(cfg)
	counted.Wrap(func(rt http.RoundTripper) http.RoundTripper { return countWrites{next: rt, writes: writes} })
	mgr, err := ctrl.NewManager(counted, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"},
		Cache: controller.CacheOptions(namespace)}) // as cmd/machine-controller --namespace
	if err != nil {
		return nil, err
	}
	if _, err := controller.Setup(ctx, mgr, controller.Options{Driver: d, Namespace: namespace,
		RetryInterval: 50 * time.Millisecond, SafetySweepPeriod: -1, Workers: benchWorkers}); err != nil {
		return nil, err
	}
	mctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mctx) }()
	return func() error { cancel(); return <-done }, nil
}

// benchWorkers is the controller's Workers here. Its default, 50, is MCM's
// for clouds whose calls take seconds; with an in-process cloud answering
// in microseconds, 10 already keep both cores busy, and 50 only add
// contention and conflicts (N=1000 Running in 33.5 s with 10 and 41.3 s
// with 50, measured here with bin/bench-scale --n=1000).
const benchWorkers = 10
