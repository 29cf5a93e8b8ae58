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
