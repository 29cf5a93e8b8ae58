// Command machine-conformance runs the conformance suite against a
// registered provider on the embedded control plane:
//
//	machine-conformance --provider=memory [--ginkgo.label-filter=driver]
//
// It binds flags onto conformance.Config and runs the same specs as
// conformance.Test; every --ginkgo.* flag works as in a Ginkgo test binary.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

// failer records that a spec failed; Ginkgo reports the details.
type failer struct{ failed bool }

func (f *failer) Fail() { f.failed = true }

// options are the command's own flags.
type options struct {
	provider, envFile, specFile, secretFile, reportDir string
	controller, controllerCommand                      string
	compareReference, compareMCM                       string
	simulatorEndpoint                                  string
	kubeconfig, controllerImage, simulatorImage        string
	controllerImageCommand                             string
	list, noSimulator                                  bool
	timeout                                            time.Duration
	scaleMachines                                      int
}

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		os.Exit(2)
	}
	if opts.compareReference != "" || opts.compareMCM != "" {
		os.Exit(compare(opts))
	}
	if opts.list {
		for _, n := range providers.Names() {
			p, _ := providers.Get(n)
			fmt.Printf("%-10s %s\n", n, p.Description)
		}
		return
	}
	cfg, err := configure(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		os.Exit(2)
	}
	f := &failer{}
	ok := conformance.Run(f, cfg) && !f.failed
	fmt.Fprintf(os.Stderr, "machine-conformance: reports in %s (%s, %s, %s)\n", cfg.ReportDir,
		conformance.JUnitFile, conformance.JSONFile, conformance.MarkdownFile)
	if !ok {
		os.Exit(1)
	}
}

// configure builds the suite's Config from the flags and the user's files.
func configure(opts options) (*conformance.Config, error) {
	if opts.provider == "" {
		return nil, fmt.Errorf("--provider is required; known providers: %s", strings.Join(providers.Names(), ", "))
	}
	p, err := providers.Get(opts.provider)
	if err != nil {
		return nil, err
	}
	if opts.reportDir == "" {
		opts.reportDir = filepath.Join("_out", "conformance", p.Name)
	}
	cfg := &conformance.Config{Provider: p, Timeout: opts.timeout, ReportDir: opts.reportDir, Controller: opts.controller,
		ScaleMachines: opts.scaleMachines, Kubeconfig: opts.kubeconfig,
		InCluster: conformance.InCluster{ControllerImage: opts.controllerImage, SimulatorImage: opts.simulatorImage,
			ControllerCommand: strings.Fields(opts.controllerImageCommand)}}
	if err := applyInputs(cfg, opts.envFile, opts.specFile, opts.secretFile, opts.noSimulator); err != nil {
		return nil, err
	}
	if opts.simulatorEndpoint != "" {
		if opts.noSimulator {
			return nil, fmt.Errorf("--simulator-endpoint and --no-simulator exclude each other")
		}
		endpoint := opts.simulatorEndpoint
		cfg.Provider.NewSimulator = func(ctx context.Context) (providers.Simulator, error) {
			return simkit.Dial(ctx, endpoint)
		}
	}
	if err := chooseController(cfg, opts); err != nil {
		return nil, err
	}
	return cfg, cfg.Validate()
}

// chooseController fills in the command of MCM's machine controller:
// --controller-command as given, or bin/mcm-machine-controller beside this
// binary with the provider's driver.
func chooseController(cfg *conformance.Config, opts options) error {
	if opts.controllerCommand != "" {
		cfg.Controller = conformance.ControllerMCM
		cfg.ControllerCommand = strings.Fields(opts.controllerCommand)
		return nil
	}
	if cfg.Controller != conformance.ControllerMCM || cfg.Kubeconfig != "" {
		return nil // on a cluster, MCM's controller runs from --controller-image
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bin := filepath.Join(filepath.Dir(self), "mcm-machine-controller")
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("--controller=mcm needs %s (build it with `go build -o %s ./cmd/mcm-machine-controller`, or `make conformance CONTROLLER=mcm`), or pass --controller-command", bin, bin)
	}
	cfg.ControllerCommand = []string{bin, "--provider=" + cfg.Provider.Name}
	return nil
}

// parseFlags parses args with the command's own flags first and Ginkgo's
// (--ginkgo.*) after them. Flags that other packages register on the
// process-wide flag set and this command does not use are not accepted.
func parseFlags(args []string, usageOut io.Writer) (options, error) {
	var o options
	own := flag.NewFlagSet("machine-conformance", flag.ContinueOnError)
	own.StringVar(&o.provider, "provider", "", "provider to verify (required); see --list")
	own.BoolVar(&o.list, "list", false, "list the registered providers and exit")
	own.DurationVar(&o.timeout, "timeout", 60*time.Second, "longest wait for the controller or the API server per step")
	own.IntVar(&o.scaleMachines, "scale-machines", 0, "also run the scale group: a MachineSet of this many machines to Running and back (0: not)")
	own.StringVar(&o.envFile, "env-file", "", "KEY=VALUE file handed to the provider's driver (endpoints, regions)")
	own.StringVar(&o.specFile, "provider-spec", "", "YAML or JSON providerSpec replacing the provider's sample, e.g. for a real cloud")
	own.StringVar(&o.secretFile, "secret-file", "", "YAML map of secret keys replacing the provider's sample secret (real credentials)")
	own.BoolVar(&o.noSimulator, "no-simulator", false, "run against the real cloud even if the provider has a simulator")
	own.StringVar(&o.simulatorEndpoint, "simulator-endpoint", "",
		"use a simulator running elsewhere (cloud-simulator, or one in a cluster), steered through its control API at this endpoint, instead of starting one")
	own.StringVar(&o.kubeconfig, "kubeconfig", "",
		"run on this kubeconfig's cluster (e.g. kind) instead of the embedded control plane, with the controller and simulator deployed there")
	own.StringVar(&o.controllerImage, "controller-image", "", "with --kubeconfig: image holding /machine-controller and /mcm-machine-controller")
	own.StringVar(&o.controllerImageCommand, "controller-image-command", "",
		"with --kubeconfig: the command starting the controller in --controller-image, space-separated (default /machine-controller, or /mcm-machine-controller --provider=NAME with --controller=mcm)")
	own.StringVar(&o.simulatorImage, "simulator-image", "", "with --kubeconfig: image holding /cloud-simulator")
	own.StringVar(&o.reportDir, "report-dir", "", `folder for junit.xml, report.json and summary.md (default "_out/conformance/<provider>")`)
	own.StringVar(&o.controller, "controller", conformance.ControllerReference,
		`controller under test: "reference" (ours, in-process) or "mcm" (MCM's own machine controller with the provider's driver, bin/mcm-machine-controller)`)
	own.StringVar(&o.controllerCommand, "controller-command", "",
		"your own MCM machine-controller binary (and arguments) to run as the controller under test; implies --controller=mcm")
	own.StringVar(&o.compareReference, "compare-reference", "",
		"differential check: the report folder of a run with the reference controller (with --compare-mcm; runs no specs)")
	own.StringVar(&o.compareMCM, "compare-mcm", "",
		`differential check: the report folder of a run with MCM's controller; writes differential.md and differential.json into --report-dir (default "_out/conformance/<provider>-differential")`)

	all := flag.NewFlagSet("machine-conformance", flag.ContinueOnError)
	all.SetOutput(io.Discard)
	own.VisitAll(func(f *flag.Flag) { all.Var(f.Value, f.Name, f.Usage) })
	var ginkgo []*flag.Flag
	flag.CommandLine.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Name, "ginkgo.") {
			all.Var(f.Value, f.Name, f.Usage)
			ginkgo = append(ginkgo, f)
		}
	})
	err := all.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		usage(usageOut, own, ginkgo)
		return o, err
	}
	if err == nil && all.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q; flags start with --", all.Arg(0))
	}
	if err != nil {
		return o, fmt.Errorf("%w (see --help)", err)
	}
	return o, nil
}

func usage(w io.Writer, own *flag.FlagSet, ginkgo []*flag.Flag) {
	fmt.Fprint(w, `machine-conformance verifies a machine-controller-manager provider: its driver
against MCM's contract, and its machines end to end under a reference
controller, on an embedded kube-apiserver and etcd.

Usage:
  machine-conformance --provider=NAME [flags] [--ginkgo.FLAG=VALUE ...]

Examples:
  machine-conformance --provider=aws                             # the whole suite on the EC2 simulator
  machine-conformance --provider=aws --ginkgo.label-filter=driver  # one group: driver, validation, lifecycle,
                                                                 # safety, finalizers, rbac, secrets
  machine-conformance --provider=aws --scale-machines=300 \
      --ginkgo.label-filter=scale                                # 300 machines up and down, nothing else
  machine-conformance --provider=aws --no-simulator \
      --provider-spec=class.yaml --secret-file=creds.yaml \
      --ginkgo.label-filter='!validation'                        # against a real cloud
  machine-conformance --provider=aws --controller=mcm            # MCM's own machine controller drives the driver
  machine-conformance --provider=aws --controller-command=./bin/machine-controller  # your shipped binary
  machine-conformance --provider=aws --kubeconfig=kind.kubeconfig \
      --controller-image=IMG --simulator-image=IMG               # on a kind cluster (make conformance CLUSTER=kind)
  machine-conformance --provider=aws --compare-reference=_out/conformance/aws \
      --compare-mcm=_out/conformance/aws-mcm                     # compare the two controllers' traces
  machine-conformance --list                                     # the registered providers

Flags:
`)
	own.VisitAll(func(f *flag.Flag) {
		typ, help := flag.UnquoteUsage(f)
		if f.DefValue != "" && f.DefValue != "false" {
			help += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  --%s %s\n      %s\n", f.Name, typ, help)
	})
	fmt.Fprint(w, "\nGinkgo flags (select and report specs; see https://onsi.github.io/ginkgo):\n")
	for _, f := range ginkgo {
		help, _, _ := strings.Cut(strings.TrimSpace(f.Usage), "\n")
		if strings.HasPrefix(help, "[DEPRECATED]") {
			continue // still accepted, not advertised
		}
		fmt.Fprintf(w, "  --%s\n      %s\n", f.Name, help)
	}
}
