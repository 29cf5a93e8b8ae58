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
	cfg := &conformance.Config{Provider: p, Timeout: *timeout}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		os.Exit(2)
	}
	conformance.GinkgoTest(cfg)
	RegisterFailHandler(Fail)
	f := &failer{}
	if !RunSpecs(f, "machine conformance: "+p.Name) || f.failed {
		os.Exit(1)
	}
}
