package conformance_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/conformance/internal/broken"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
	"github.com/machine-conformance/machine-conformance/providers/memory"
)

const (
	envBroken    = "CONFORMANCE_BROKEN_DRIVER"
	envReportDir = "CONFORMANCE_REPORT_DIR"
)

// TestSuiteCatchesBrokenDrivers runs the suite against each broken driver
// in a process of its own (Ginkgo runs one suite per process) and requires
// it to fail, in the expected spec, with the expected message.
func TestSuiteCatchesBrokenDrivers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite once per broken driver")
	}
	for _, c := range broken.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			labels := c.Labels
			if labels == "" {
				labels = "driver || validation"
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenDriverChild$", "-test.count=1", "-ginkgo.label-filter="+labels)
			cmd.Env = append(os.Environ(), envBroken+"="+c.Name, envReportDir+"="+dir)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a driver that breaks %q", c.Breaks)
			}
			data, rerr := os.ReadFile(filepath.Join(dir, conformance.JSONFile))
			if rerr != nil {
				t.Fatalf("no report (%v); output:\n%s", rerr, tail(out))
			}
			var reports []types.Report
			if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
				t.Fatalf("report: %v (%d reports)", err, len(reports))
			}
			var failed []string
			for _, s := range reports[0].SpecReports {
				if !s.State.Is(types.SpecStateFailureStates) {
					continue
				}
				failed = append(failed, s.LeafNodeText+": "+s.Failure.Message)
				if strings.Contains(s.LeafNodeText, c.WantSpec) && strings.Contains(s.Failure.Message, c.WantMessage) {
					return
				}
			}
			t.Fatalf("breaking %q: want spec %q to fail with %q; failed specs:\n%s", c.Breaks, c.WantSpec, c.WantMessage, strings.Join(failed, "\n---\n"))
		})
	}
}

// TestBrokenDriverChild is the child process of TestSuiteCatchesBrokenDrivers.
func TestBrokenDriverChild(t *testing.T) {
	name := os.Getenv(envBroken)
	if name == "" {
		t.Skip("run by TestSuiteCatchesBrokenDrivers")
	}
	c, ok := broken.Find(name)
	if !ok {
		t.Fatalf("no broken driver %q", name)
	}
	base := "memory"
	if c.WrapAWS != nil {
		base = "aws"
	}
	p, err := providers.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	p.Name = base + ", broken: " + c.Name
	if c.WrapAWS != nil {
		newDriver := p.NewDriver
		p.NewDriver = func(ctx context.Context, env map[string]string) (driver.Driver, error) {
			d, err := newDriver(ctx, env)
			if err != nil {
				return nil, err
			}
			return c.WrapAWS(d), nil
		}
	} else {
		p.NewDriver = func(context.Context, map[string]string) (driver.Driver, error) {
			return c.Wrap(memory.New(memory.Options{})), nil
		}
	}
	conformance.Test(t, conformance.Config{Provider: p, ReportDir: os.Getenv(envReportDir)})
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
