// Command mcm-machine-controller is machine-controller-manager's own machine
// controller (MCM's pkg/util/provider/app) with a registered provider's
// driver inside, built exactly as a provider repository builds its
// machine-controller binary. The conformance suite runs it as the
// controller under test with --controller=mcm:
//
//	mcm-machine-controller --provider=aws --control-kubeconfig=KC --target-kubeconfig=KC --namespace=NS
//
// Every other flag is MCM's. The driver's settings (endpoints of a
// simulator, region) come from the environment, as a deployed provider
// reads them. When MACHINE_CONFORMANCE_DRIVER_CALLS names a file, every
// driver call is appended to it (internal/drivercalls), for the suite's
// differential check.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/app"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/app/options"
	"github.com/spf13/pflag"
	"k8s.io/component-base/logs"

	"github.com/machine-conformance/machine-conformance/internal/drivercalls"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
)

func main() {
	s := options.NewMCServer()
	s.AddFlags(pflag.CommandLine)
	provider := pflag.String("provider", "", "registered provider whose driver runs inside MCM's controller; known: "+strings.Join(providers.Names(), ", "))
	pflag.Parse()
	logs.InitLogs()
	defer logs.FlushLogs()
	if err := run(s, *provider); err != nil {
		fmt.Fprintln(os.Stderr, "mcm-machine-controller:", err)
		os.Exit(1)
	}
}

func run(s *options.MCServer, provider string) error {
	if provider == "" {
		return fmt.Errorf("--provider is required; known providers: %s", strings.Join(providers.Names(), ", "))
	}
	p, err := providers.Get(provider)
	if err != nil {
		return err
	}
	d, err := p.NewDriver(context.Background(), environment())
	if err != nil {
		return fmt.Errorf("building the %s driver: %w", provider, err)
	}
	if path := os.Getenv(drivercalls.EnvFile); path != "" {
		calls, err := drivercalls.OpenFile(path)
		if err != nil {
			return err
		}
		defer calls.Close()
		d = drivercalls.Wrap(d, calls.Record)
	}
	return app.Run(s, d)
}

// environment is the process environment as a map, the driver's settings.
func environment() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}
