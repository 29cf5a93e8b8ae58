package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/conformance/internal/broken"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
	"github.com/machine-conformance/machine-conformance/providers/memory"
)

const (
	envChild     = "CONFORMANCE_CHILD"
	envReportDir = "CONFORMANCE_REPORT_DIR"
	envScale     = "CONFORMANCE_SCALE_MACHINES"
	// A child run on a cluster: its kubeconfig and the images it deploys.
	envKubeconfig      = "CONFORMANCE_KUBECONFIG"
	envControllerImage = "CONFORMANCE_CONTROLLER_IMAGE"
	envSimulatorImage  = "CONFORMANCE_SIMULATOR_IMAGE"
	// roleWithout, then GROUP/RESOURCE/VERB, names a child run of the aws
	// provider whose controller's ClusterRole lacks that verb.
	roleWithout = "role-without:"
)

// childTimeout bounds each wait of a child run: a verdict that needs a
// timeout to be reached shows up as a spec failing after this long. It is
// far above what any spec takes when it decides early (the slowest, the
// 1,100-VM paging spec, takes about 2 s alone), because the children run
// side by side on two cores and a loaded machine stretches every spec
// (20 s here once failed a correct verdict reached in 21 s).
const childTimeout = 60 * time.Second

// TestSuiteCatchesBrokenDrivers runs the suite against each broken driver
// in a process of its own (Ginkgo runs one suite per process) and requires
// it to fail, in the expected spec, with the expected message, well before
// any wait of the run times out.
func TestSuiteCatchesBrokenDrivers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite once per broken driver")
	}
	for _, c := range broken.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			labels := c.Labels
			if labels == "" {
				labels = "driver || validation"
			}
			report, out, err := runChild(t, "broken:"+c.Name, labels, c.Scale)
			if err == nil {
				t.Fatalf("the suite passed a driver that breaks %q", c.Breaks)
			}
			if report == nil {
				t.Fatalf("no report; output:\n%s", tail(out))
			}
			var failed []string
			for _, s := range report.SpecReports {
				if !s.State.Is(types.SpecStateFailureStates) {
					continue
				}
				failed = append(failed, s.LeafNodeText+": "+s.Failure.Message)
				if strings.Contains(s.LeafNodeText, c.WantSpec) && strings.Contains(s.Failure.Message, c.WantMessage) {
					if s.RunTime >= childTimeout {
						t.Fatalf("caught only after %s, by waiting out a timeout: %s", s.RunTime, s.Failure.Message)
					}
					return
				}
			}
			t.Fatalf("breaking %q: want spec %q to fail with %q; failed specs:\n%s", c.Breaks, c.WantSpec, c.WantMessage, strings.Join(failed, "\n---\n"))
		})
	}
}

// TestBrokenDriverChild is the child process of the tests that run whole
// suites: it runs the suite for the provider named by envChild.
func TestBrokenDriverChild(t *testing.T) {
	name := os.Getenv(envChild)
	if name == "" {
		t.Skip("run by the tests that run whole suites in child processes")
	}
	if rule, ok := strings.CutPrefix(name, roleWithout); ok {
		parts := strings.Split(rule, "/")
		if len(parts) != 3 {
			t.Fatalf("%s%s: want GROUP/RESOURCE/VERB", roleWithout, rule)
		}
		if err := conformance.RunWithoutRule(parts[0], parts[1], parts[2]); err != nil {
			t.Fatal(err)
		}
		name = "aws"
	}
	p, err := childProvider(name)
	if err != nil {
		t.Fatal(err)
	}
	scale := 0
	if v := os.Getenv(envScale); v != "" {
		if scale, err = strconv.Atoi(v); err != nil {
			t.Fatalf("%s=%q: %v", envScale, v, err)
		}
	}
	conformance.Test(t, conformance.Config{Provider: p, ReportDir: os.Getenv(envReportDir), Timeout: childTimeout, ScaleMachines: scale,
		Kubeconfig: os.Getenv(envKubeconfig),
		InCluster:  conformance.InCluster{ControllerImage: os.Getenv(envControllerImage), SimulatorImage: os.Getenv(envSimulatorImage)}})
}

// childProvider resolves "broken:<case>" and the names of variants.
func childProvider(name string) (providers.Provider, error) {
	if v, ok := variants()[name]; ok {
		return v()
	}
	caseName, ok := strings.CutPrefix(name, "broken:")
	c, found := broken.Find(caseName)
	if !ok || !found {
		return providers.Provider{}, fmt.Errorf("no broken driver or variant %q", name)
	}
	base := "memory"
	if c.WrapAWS != nil {
		base = "aws"
	}
	p, err := providers.Get(base)
	if err != nil {
		return p, err
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
	return p, nil
}

// runChild runs the suite for a child provider with a label filter and
// returns its report (nil if it wrote none), its output and its exit error.
func runChild(t *testing.T, name, labels string, scale ...int) (*types.Report, []byte, error) {
	t.Helper()
	if len(scale) > 0 && scale[0] > 0 {
		return runChildEnv(t, name, labels, []string{fmt.Sprintf("%s=%d", envScale, scale[0])})
	}
	return runChildEnv(t, name, labels, nil)
}

// runChildEnv is runChild with more environment for the child.
func runChildEnv(t *testing.T, name, labels string, env []string) (*types.Report, []byte, error) {
	t.Helper()
	dir := t.TempDir()
	args := []string{"-test.run=^TestBrokenDriverChild$", "-test.count=1"}
	if labels != "" {
		args = append(args, "-ginkgo.label-filter="+labels)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), envChild+"="+name, envReportDir+"="+dir), env...)
	out, err := cmd.CombinedOutput()
	data, rerr := os.ReadFile(filepath.Join(dir, conformance.JSONFile))
	if rerr != nil {
		return nil, out, err
	}
	var reports []types.Report
	if jerr := json.Unmarshal(data, &reports); jerr != nil || len(reports) != 1 {
		t.Fatalf("report of %s: %v (%d reports)", name, jerr, len(reports))
	}
	return &reports[0], out, err
}

func tail(b []byte) string {
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}
