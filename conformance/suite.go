package conformance

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Test runs the whole suite for cfg from a Go test.
func Test(t *testing.T, cfg Config) {
	t.Helper()
	Run(t, &cfg)
}

// Run adds the suite for cfg, registers FailHandler and runs Ginkgo, with
// the console showing one line per spec instead of Ginkgo's marks. Test and
// the CLI use it; it reports whether the suite passed.
func Run(t GinkgoTestingT, cfg *Config) bool {
	GinkgoTest(cfg)
	RegisterFailHandler(FailHandler)
	quietConsole()
	return RunSpecs(t, "machine conformance: "+cfg.Provider.Name)
}

// GinkgoTest adds the suite for cfg to the calling Ginkgo suite. Call it at
// the top level of the tree. With Config.ReportDir set it also writes the
// reports when the suite ends, and it prints a progress line per spec.
// Register FailHandler as the suite's fail handler, so that no failure
// message shows a value of the class Secret.
func GinkgoTest(cfg *Config) bool {
	ReportAfterEach(func(s SpecReport) {
		scanReport(s)
		if s.LeafNodeType == types.NodeTypeIt && len(s.ContainerHierarchyTexts) > 0 &&
			strings.HasPrefix(s.ContainerHierarchyTexts[0], "machine conformance [") {
			progress(s)
		}
	})
	ReportAfterSuite("machine conformance reports", func(r Report) {
		if cfg.ReportDir != "" {
			Expect(writeReports(cfg.ReportDir, r)).To(Succeed())
		}
	})
	return Describe("machine conformance ["+cfg.Provider.Name+"]", Ordered, ContinueOnFailure, func() {
		var h *harness
		BeforeAll(func(ctx SpecContext) {
			Expect(cfg.Validate()).To(Succeed(), "Invalid argument: the conformance Config")
			var err error
			h, err = startHarness(ctx, *cfg)
			Expect(err).NotTo(HaveOccurred(), "starting the control plane, driver and reference controller")
			DeferCleanup(func() { Expect(h.close()).To(Succeed()) })
		})
		// Each spec's objects and VMs are tracked and torn down by the spec
		// itself; what it leaks fails that spec (tracker.go).
		BeforeEach(func() {
			if h != nil {
				h.beginSpec()
			}
		})
		AfterEach(func(ctx SpecContext) {
			if h != nil {
				h.endSpec(ctx)
			}
		})
		env := func() *harness { return h }
		for _, g := range groups {
			if g.name == "scale" && cfg.ScaleMachines == 0 {
				continue // asked for by size only: it takes minutes
			}
			Describe(g.name, Label(g.name), func() { g.specs(env) })
		}
	})
}

// console is the process's stderr as it was at start, before the harness
// captures output: progress lines go there directly.
var console = os.Stderr

// progress prints one line per spec: outcome, group, text and run time,
// and the reason of a skip, a warning or a failure.
func progress(s SpecReport) {
	line := fmt.Sprintf("conformance: %-4s [%s] %s (%s)", strings.ToUpper(string(outcomeOf(s))), groupOf(s),
		s.LeafNodeText, s.RunTime.Round(time.Millisecond))
	switch outcomeOf(s) {
	case skip, fail:
		line += "\n    " + oneLine(s.Failure.Message)
	}
	for _, e := range s.ReportEntries {
		if e.Name == shouldEntry || e.Name == noteEntry {
			line += "\n    " + e.Name + ": " + oneLine(e.StringRepresentation())
		}
	}
	fmt.Fprintln(console, line)
}

// scanReport looks for secrets in what the reports will say about a spec.
func scanReport(s SpecReport) {
	scanner := active.Load()
	scanner.scan("the suite's reports", s.Failure.Message)
	for _, e := range s.ReportEntries {
		scanner.scan("the suite's reports", e.StringRepresentation())
	}
}

// group is one labelled set of specs; each receives the shared harness.
type group struct {
	name  string
	specs func(env func() *harness)
}

var groups []group

// groupOrder is the order groups run in: the driver alone first, then the
// controller on top of it, then the checks that judge the whole run.
var groupOrder = []string{"driver", "validation", "lifecycle", "safety", "finalizers", "scale", "rbac", "secrets"}

// describeGroup registers specs of a group; a group may span files, and
// groups run in groupOrder whatever the order of registration.
func describeGroup(name string, specs func(env func() *harness)) bool {
	rank := slices.Index(groupOrder, name)
	if rank < 0 {
		panic("conformance: group " + name + " is not in groupOrder")
	}
	i := len(groups)
	for i > 0 && slices.Index(groupOrder, groups[i-1].name) > rank {
		i--
	}
	groups = slices.Insert(groups, i, group{name: name, specs: specs})
	return true
}
