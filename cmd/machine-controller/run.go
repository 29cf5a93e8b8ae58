package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
)

// config is what the flags set.
type config struct {
	kubeconfig     string
	provider       string
	namespace      string
	metricsAddress string
	leaderElect    bool
	kubeAPIQPS     float64
	kubeAPIBurst   int
	opts           controller.Options
}

// Client-side limits on the controller's API requests. client-go's own
// defaults (5 requests/s, bursts of 10) hold a controller of hundreds of
// machines to a crawl; these match what one API server takes from one
// controller with room to spare, and API priority and fairness still
// protects the server.
const (
	defaultKubeAPIQPS   = 200
	defaultKubeAPIBurst = 400
)

func parseFlags(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("machine-controller", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.kubeconfig, "kubeconfig", "", "kubeconfig file; empty means $KUBECONFIG, then in-cluster config")
	fs.StringVar(&c.provider, "provider", "", "provider name (required); one of the registered providers")
	fs.StringVar(&c.namespace, "namespace", "", "watch Machines, MachineSets and MachineClasses in this namespace only")
	fs.StringVar(&c.metricsAddress, "metrics-bind-address", "0", `metrics address, e.g. ":8080"; "0" disables`)
	fs.BoolVar(&c.leaderElect, "leader-elect", false, "elect a leader before acting (needs a Lease in --namespace)")
	fs.DurationVar(&c.opts.CreationTimeout, "creation-timeout", controller.DefaultCreationTimeout, "Pending longer than this fails a machine")
	fs.DurationVar(&c.opts.HealthTimeout, "health-timeout", controller.DefaultHealthTimeout, "Unknown longer than this fails a machine")
	fs.DurationVar(&c.opts.SafetySweepPeriod, "safety-sweep-period", controller.DefaultSafetySweepPeriod, "orphan-VM sweep period; negative disables")
	fs.DurationVar(&c.opts.DriverCallTimeout, "driver-call-timeout", controller.DefaultDriverCallTimeout, "deadline of each driver call")
	fs.IntVar(&c.opts.Workers, "workers", controller.DefaultWorkers, "machines reconciled at once (MCM's --concurrent-syncs)")
	fs.Float64Var(&c.kubeAPIQPS, "kube-api-qps", defaultKubeAPIQPS, "API requests per second the controller may send")
	fs.IntVar(&c.kubeAPIBurst, "kube-api-burst", defaultKubeAPIBurst, "API requests the controller may send at once above --kube-api-qps")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if c.provider == "" {
		return c, fmt.Errorf("--provider is required; known providers: %v", providers.Names())
	}
	if c.opts.Workers < 1 {
		return c, fmt.Errorf("--workers must be at least 1, not %d", c.opts.Workers)
	}
	if c.kubeAPIQPS <= 0 || c.kubeAPIBurst < 1 {
		return c, fmt.Errorf("--kube-api-qps (%g) and --kube-api-burst (%d) must be positive", c.kubeAPIQPS, c.kubeAPIBurst)
	}
	if c.leaderElect && c.namespace == "" {
		return c, errors.New("--leader-elect needs --namespace for its Lease")
	}
	c.opts.Namespace = c.namespace
	return c, nil
}

func run(ctx context.Context, args []string, env map[string]string) error {
	c, err := parseFlags(args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	p, err := providers.Get(c.provider)
	if err != nil {
		return err
	}
	drv, err := p.NewDriver(ctx, env)
	if err != nil {
		return fmt.Errorf("provider %s: building its driver: %w", p.Name, err)
	}
	c.opts.Driver = drv

	ctrl.SetLogger(zap.New())
	restCfg, err := restConfig(c.kubeconfig)
	if err != nil {
		return err
	}
	restCfg.QPS, restCfg.Burst = float32(c.kubeAPIQPS), c.kubeAPIBurst
	scheme := runtime.NewScheme()
	if err := controller.AddToScheme(scheme); err != nil {
		return err
	}
	mgrOpts := ctrl.Options{
		Scheme:                  scheme,
		Metrics:                 metricsserver.Options{BindAddress: c.metricsAddress},
		LeaderElection:          c.leaderElect,
		LeaderElectionID:        controller.ControllerName,
		LeaderElectionNamespace: c.namespace,
		GracefulShutdownTimeout: durationPtr(30 * time.Second),
		Cache:                   controller.CacheOptions(c.namespace), // Nodes are cluster-scoped and still watched cluster-wide
	}
	mgr, err := ctrl.NewManager(restCfg, mgrOpts)
	if err != nil {
		return fmt.Errorf("creating the manager: %w", err)
	}
	if _, err := controller.Setup(ctx, mgr, c.opts); err != nil {
		return err
	}
	return mgr.Start(ctx)
}

func restConfig(kubeconfig string) (*rest.Config, error) {
	if kubeconfig == "" {
		return ctrl.GetConfig()
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("--kubeconfig %s: %w", kubeconfig, err)
	}
	return cfg, nil
}

func durationPtr(d time.Duration) *time.Duration { return &d }
