// Command machine-conformance runs the conformance suite against a
// registered provider on the embedded control plane:
//
//	machine-conformance --provider=memory [--ginkgo.label-filter=driver]
//
// It binds flags onto conformance.Config and runs the same specs as
// conformance.Test; every --ginkgo.* flag works as in a Ginkgo test binary.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
)

// failer records that a spec failed; Ginkgo reports the details.
type failer struct{ failed bool }

func (f *failer) Fail() { f.failed = true }

func main() {
	provider := flag.String("provider", "", "provider to verify (required); see --list")
	list := flag.Bool("list", false, "list the registered providers and exit")
	timeout := flag.Duration("timeout", 60*time.Second, "longest wait for the controller or API server per step")
	envFile := flag.String("env-file", "", "KEY=VALUE file handed to the provider's driver (endpoints, regions)")
	specFile := flag.String("provider-spec", "", "YAML or JSON providerSpec replacing the provider's sample, e.g. for a real cloud")
	secretFile := flag.String("secret-file", "", "YAML map of secret keys replacing the provider's sample secret (real credentials)")
	noSimulator := flag.Bool("no-simulator", false, "run against the real cloud even if the provider has a simulator")
	reportDir := flag.String("report-dir", "", `folder for junit.xml, report.json and summary.md (default "_out/conformance/<provider>")`)
	flag.Parse()

	if *list {
		for _, n := range providers.Names() {
			fmt.Println(n)
		}
		return
	}
	if *provider == "" {
		fmt.Fprintf(os.Stderr, "machine-conformance: --provider is required; known providers: %v\n", providers.Names())
		os.Exit(2)
	}
	p, err := providers.Get(*provider)
	if err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		os.Exit(2)
	}
	if *reportDir == "" {
		*reportDir = filepath.Join("_out", "conformance", p.Name)
	}
	cfg := &conformance.Config{Provider: p, Timeout: *timeout, ReportDir: *reportDir}
	if err := applyInputs(cfg, *envFile, *specFile, *secretFile, *noSimulator); err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		os.Exit(2)
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		os.Exit(2)
	}
	conformance.GinkgoTest(cfg)
	RegisterFailHandler(Fail)
	f := &failer{}
	ok := RunSpecs(f, "machine conformance: "+p.Name) && !f.failed
	fmt.Fprintf(os.Stderr, "machine-conformance: reports in %s (%s, %s, %s)\n", *reportDir,
		conformance.JUnitFile, conformance.JSONFile, conformance.MarkdownFile)
	if !ok {
		os.Exit(1)
	}
}

// applyInputs replaces the provider's samples with the user's files, for
// runs against a real cloud.
func applyInputs(cfg *conformance.Config, envFile, specFile, secretFile string, noSimulator bool) error {
	var err error
	if envFile != "" {
		if cfg.Env, err = readEnvFile(envFile); err != nil {
			return fmt.Errorf("--env-file: %w", err)
		}
	}
	if specFile != "" {
		if cfg.Provider.SampleProviderSpec, err = readSpecFile(specFile); err != nil {
			return fmt.Errorf("--provider-spec: %w", err)
		}
		cfg.Provider.ForeignProviderSpec = nil // we cannot guess another cluster's spec
	}
	if secretFile != "" {
		if cfg.Provider.SampleSecret, err = readSecretFile(secretFile); err != nil {
			return fmt.Errorf("--secret-file: %w", err)
		}
	}
	if noSimulator {
		cfg.Provider.NewSimulator = nil
	}
	return nil
}
