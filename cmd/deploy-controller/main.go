// Command deploy-controller runs the reference machine controller, and the
// provider's cloud simulator, in a cluster as the kind tier does, for
// development against a long-lived cluster (`make dev`):
//
//	deploy-controller --kubeconfig=FILE --provider=aws \
//	    --controller-image=IMG --simulator-image=IMG [--namespace=NS]
//
// It installs the machine.sapcloud.io CRDs, applies the objects of package
// deploy (server-side), points the controller at the simulator, and waits
// until both run. Applying a new image rolls the controller; applying the
// same one changes nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/machine-conformance/machine-conformance/controller/rbac"
	"github.com/machine-conformance/machine-conformance/deploy"
	"github.com/machine-conformance/machine-conformance/internal/crds"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

type options struct {
	kubeconfig, provider, namespace string
	controllerImage, simulatorImage string
	controllerArgs                  string
	within                          time.Duration
}

func main() {
	var o options
	// A flag set of our own: controller-runtime registers --kubeconfig on
	// the process-wide one.
	fs := flag.NewFlagSet("deploy-controller", flag.ExitOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "the cluster's kubeconfig (default $KUBECONFIG)")
	fs.StringVar(&o.provider, "provider", "aws", "provider whose driver the controller runs")
	fs.StringVar(&o.namespace, "namespace", "machine-conformance-dev", "namespace of the controller, the simulator and the Machines it watches")
	fs.StringVar(&o.controllerImage, "controller-image", "", "image holding /machine-controller (required)")
	fs.StringVar(&o.simulatorImage, "simulator-image", "", "image holding /cloud-simulator; empty deploys no simulator")
	fs.StringVar(&o.controllerArgs, "controller-args", "", "extra flags for the controller, space-separated (e.g. \"--creation-timeout=1m\")")
	fs.DurationVar(&o.within, "wait", 2*time.Minute, "how long to wait for each Deployment to roll out")
	_ = fs.Parse(os.Args[1:])
	if o.controllerImage == "" || o.kubeconfig == "" {
		fmt.Fprintln(os.Stderr, "deploy-controller: --controller-image and --kubeconfig (or $KUBECONFIG) are required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "deploy-controller:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "deploy-controller: %s runs %s in namespace %s (%s)\n", deploy.ControllerName, o.controllerImage, o.namespace, time.Since(start).Round(100*time.Millisecond))
}

func run(ctx context.Context, o options) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", o.kubeconfig)
	if err != nil {
		return fmt.Errorf("--kubeconfig %s: %w", o.kubeconfig, err)
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return err
	}
	dir, err := crds.Dir(ctx)
	if err != nil {
		return err
	}
	if _, err := envtest.InstallCRDs(cfg, envtest.CRDInstallOptions{Paths: []string{dir}, ErrorIfPathMissing: true}); err != nil {
		return fmt.Errorf("installing the CRDs from %s: %w", dir, err)
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: o.namespace}}
	if err := c.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", o.namespace, err)
	}
	role, err := rbac.ClusterRole()
	if err != nil {
		return err
	}
	opts := deploy.Options{
		Namespace: o.namespace,
		Controller: deploy.Container{Image: o.controllerImage, Command: []string{"/machine-controller"},
			Args: append([]string{"--provider=" + o.provider, "--namespace=" + o.namespace, "--metrics-bind-address=:8080"},
				strings.Fields(o.controllerArgs)...)},
		ClusterRoleName: role.Name, ClusterRole: role, MetricsPort: 8080,
		Simulator: deploy.Simulator{Image: o.simulatorImage, Cloud: o.provider},
	}
	if opts.Simulator.FirstPort, err = simulatorPort(ctx, c, o.namespace); err != nil {
		return err
	}
	if opts.Controller.Env, err = simulatorEnv(ctx, c, opts, o.within); err != nil {
		return err
	}
	objs, err := deploy.ControllerObjects(opts)
	if err != nil {
		return err
	}
	if err := deploy.Apply(ctx, c, objs); err != nil {
		return err
	}
	return deploy.RolledOut(ctx, c, o.namespace, deploy.ControllerName, o.within)
}

// simulatorPort keeps the ports of the simulator already deployed in
// namespace, or picks a block no other simulator in the cluster holds.
func simulatorPort(ctx context.Context, c client.Client, namespace string) (int32, error) {
	current := &appsv1.Deployment{}
	err := c.Get(ctx, client.ObjectKey{Namespace: namespace, Name: deploy.SimulatorName}, current)
	if err == nil {
		for _, ctr := range current.Spec.Template.Spec.Containers {
			for _, p := range ctr.Ports {
				if p.Name == "control" {
					return p.ContainerPort, nil
				}
			}
		}
	} else if !apierrors.IsNotFound(err) {
		return 0, err
	}
	return deploy.FreeSimulatorPort(ctx, c)
}

// simulatorEnv deploys the simulator, if there is one, and returns the
// driver settings it reports for itself.
func simulatorEnv(ctx context.Context, c client.Client, opts deploy.Options, within time.Duration) (map[string]string, error) {
	objs, err := deploy.SimulatorObjects(opts)
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	if err := deploy.Apply(ctx, c, objs); err != nil {
		return nil, err
	}
	if err := deploy.RolledOut(ctx, c, opts.Namespace, deploy.SimulatorName, within); err != nil {
		return nil, err
	}
	endpoint, err := deploy.SimulatorEndpoint(ctx, c, opts.Namespace)
	if err != nil {
		return nil, err
	}
	remote, err := simkit.Dial(ctx, endpoint)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("the simulator runs but this host cannot reach its control API at %s", endpoint), err)
	}
	return remote.Env(), nil
}
