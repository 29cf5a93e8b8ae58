package conformance_test

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/machine-conformance/machine-conformance/conformance/internal/altaws"
	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
	"github.com/machine-conformance/machine-conformance/providers/memory"
)

// variants are correct drivers whose conventions differ from our own
// reference drivers'; the suite must judge them as it judges ours.
func variants() map[string]func() (providers.Provider, error) {
	return map[string]func() (providers.Provider, error){
		"aws":    func() (providers.Provider, error) { return providers.Get("aws") },
		"memory": func() (providers.Provider, error) { return providers.Get("memory") },
		// Other providerSpec fields, secret keys, class provider ("AWS")
		// and ProviderID form (region, where nodes carry the zone).
		altaws.Name: func() (providers.Provider, error) {
			aws, err := providers.Get("aws")
			return altaws.Provider(aws.NewSimulator), err
		},
		// A correct driver given a Secret its cloud refuses: a
		// misconfiguration, which the suite must report before any spec.
		refusedSecret: func() (providers.Provider, error) {
			p, err := providers.Get("aws")
			p.Name = refusedSecret
			p.SampleSecret = maps.Clone(p.SampleSecret)
			p.SampleSecret[awsdriver.SecretSecretAccessKey] = []byte("not-the-key-the-simulator-knows")
			return p, err
		},
		// ListMachines is optional in the contract.
		"memory-without-list": func() (providers.Provider, error) {
			p, err := providers.Get("memory")
			p.Name = "memory-without-list"
			p.NewDriver = func(context.Context, map[string]string) (driver.Driver, error) {
				return withoutList{memory.New(memory.Options{})}, nil
			}
			return p, err
		},
	}
}

const refusedSecret = "aws-with-a-refused-secret"

type withoutList struct{ driver.Driver }

func (withoutList) ListMachines(context.Context, *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	return nil, status.Error(codes.Unimplemented, "this driver does not list machines")
}

// TestDriversOfOtherShapesGetTheSameVerdicts runs the whole suite against
// our aws driver and against an independent AWS driver with other
// conventions, both on the EC2 simulator: every spec must end the same
// (pass or warn, fail, skip), and the region-form ProviderID must earn a
// warning that names both provider IDs instead of a failure or a timeout.
func TestDriversOfOtherShapesGetTheSameVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite twice")
	}
	reports := map[string]*types.Report{}
	var mu sync.Mutex
	t.Run("runs", func(t *testing.T) {
		for _, name := range []string{"aws", altaws.Name} {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				report, out, err := runChild(t, name, "")
				if err != nil || report == nil {
					t.Fatalf("the suite failed %s (%v); output:\n%s", name, err, tail(out))
				}
				mu.Lock()
				reports[name] = report
				mu.Unlock()
			})
		}
	})
	ours, theirs := reports["aws"], reports[altaws.Name]
	if ours == nil || theirs == nil {
		t.Fatal("a run failed; see above")
	}
	verdicts := func(r *types.Report) map[string]string {
		out := map[string]string{}
		for _, s := range r.SpecReports {
			if s.LeafNodeType == types.NodeTypeIt {
				out[s.LeafNodeText] = verdict(s)
				if s.RunTime >= childTimeout {
					t.Errorf("%s: spec %q ran %s, as long as a wait's timeout", r.SuiteDescription, s.LeafNodeText, s.RunTime)
				}
			}
		}
		return out
	}
	want, got := verdicts(ours), verdicts(theirs)
	for spec, v := range want {
		if got[spec] != v {
			t.Errorf("spec %q: aws %s, %s %s", spec, v, altaws.Name, got[spec])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d specs ran for aws, %d for %s", len(want), len(got), altaws.Name)
	}
	if w := warnings(theirs); !strings.Contains(w, "aws:///us-east-1/i-") || !strings.Contains(w, "aws:///us-east-1a/i-") {
		t.Errorf("the region-form ProviderID earned no warning naming both provider IDs; warnings: %s", w)
	}
}

// TestSuitePassesDriverWithoutListMachines: ListMachines is optional; its
// Unimplemented answer fails nothing, and the specs that need it skip.
func TestSuitePassesDriverWithoutListMachines(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite")
	}
	report, out, err := runChild(t, "memory-without-list", "")
	if err != nil || report == nil {
		t.Fatalf("the suite failed a driver whose ListMachines is Unimplemented (%v):\n%s", err, tail(out))
	}
	skipped := 0
	for _, s := range report.SpecReports {
		if s.State == types.SpecStateSkipped && strings.Contains(s.Failure.Message, "ListMachines") {
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("no spec skipped saying it needs ListMachines")
	}
}

// verdict is how the suite ended a spec; a SHOULD warning counts as a pass.
func verdict(s types.SpecReport) string {
	switch {
	case s.State.Is(types.SpecStateFailureStates):
		return "fail"
	case s.State == types.SpecStateSkipped:
		return "skip"
	}
	return "pass"
}

func warnings(r *types.Report) string {
	var w []string
	for _, s := range r.SpecReports {
		for _, e := range s.ReportEntries {
			if e.Name == "SHOULD" {
				w = append(w, e.StringRepresentation())
			}
		}
	}
	return strings.Join(w, "\n")
}

// TestSuiteStopsAtOnceWhenTheSampleSecretIsRefused: with a Secret the EC2
// simulator refuses, the suite fails once, before any spec, saying which
// call answered Unauthenticated, and skips every spec instead of letting
// each one fail or wait out its timeouts.
func TestSuiteStopsAtOnceWhenTheSampleSecretIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite")
	}
	report, out, err := runChild(t, refusedSecret, "")
	if err == nil || report == nil {
		t.Fatalf("want a failed run with a report, got error %v; output:\n%s", err, tail(out))
	}
	var failed, ran []string
	skipped := 0
	for _, s := range report.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		switch {
		case s.State.Is(types.SpecStateFailureStates):
			failed = append(failed, s.LeafNodeText+" ("+s.Failure.FailureNodeType.String()+"): "+s.Failure.Message)
			if s.Failure.FailureNodeType != types.NodeTypeBeforeAll {
				t.Errorf("spec %q failed in its %s, not in the suite's BeforeAll", s.LeafNodeText, s.Failure.FailureNodeType)
			}
			for _, want := range []string{"refused the provider's sample class and Secret", "ListMachines answered Unauthenticated", "AuthFailure"} {
				if !strings.Contains(s.Failure.Message, want) {
					t.Errorf("the failure does not say %q: %s", want, s.Failure.Message)
				}
			}
		case s.State == types.SpecStateSkipped:
			skipped++
		default:
			ran = append(ran, s.LeafNodeText)
		}
	}
	if len(failed) != 1 {
		t.Errorf("want exactly one failure, the suite's BeforeAll; %d failed:\n%s", len(failed), strings.Join(failed, "\n"))
	}
	if len(ran) > 0 || skipped == 0 {
		t.Errorf("want every other spec skipped; %d skipped, these ran: %v", skipped, ran)
	}
}
