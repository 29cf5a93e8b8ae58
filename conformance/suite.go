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
	GinkgoTest(&cfg)
	RegisterFailHandler(Fail)
	RunSpecs(t, "machine conformance: "+cfg.Provider.Name)
}

// GinkgoTest adds the suite for cfg to the calling Ginkgo suite. Call it at
// the top level of the tree. With Config.ReportDir set it also writes the
// reports when the suite ends, and it prints a progress line per spec.
func GinkgoTest(cfg *Config) bool {
	ReportAfterEach(func(s SpecReport) {
		if s.LeafNodeType == types.NodeTypeIt && len(s.ContainerHierarchyTexts) > 0 &&
			strings.HasPrefix(s.ContainerHierarchyTexts[0], "machine conformance [") {
			fmt.Fprintf(os.Stderr, "conformance: %-4s [%s] %s (%s)\n", strings.ToUpper(string(outcomeOf(s))), groupOf(s),
				s.LeafNodeText, s.RunTime.Round(time.Millisecond))
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
		env := func() *harness { return h }
		for _, g := range groups {
			Describe(g.name, Label(g.name), func() { g.specs(env) })
		}
	})
}

// group is one labelled set of specs; each receives the shared harness.
type group struct {
	name  string
	specs func(env func() *harness)
}

var groups []group

// groupOrder is the order groups run in: the driver alone first, then the
// controller on top of it, and the teardown checks of finalizers last.
var groupOrder = []string{"driver", "validation", "lifecycle", "safety", "finalizers", "rbac"}

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
