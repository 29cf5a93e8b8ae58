package conformance

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// TestReportsNameTheRule: a failure in the summary (and in JUnit, which
// reads the same message) starts with the contract rule its spec enforces.
func TestReportsNameTheRule(t *testing.T) {
	t.Parallel()
	spec := types.SpecReport{
		LeafNodeType: types.NodeTypeIt, LeafNodeText: "DeleteMachine of a VM that does not exist returns OK [MUST]",
		State:   types.SpecStateFailed,
		Failure: types.Failure{Message: "code NotFound, want one of [OK]"},
		ReportEntries: types.ReportEntries{{Name: ruleEntry,
			Value: types.WrapEntryValue(ruleDeleteAbsent.String())}},
	}
	report := types.Report{SuiteDescription: "machine conformance: x", SpecReports: types.SpecReports{spec}}
	md := markdown(withRules(report))
	want := `**FAIL** [other] DeleteMachine of a VM that does not exist returns OK [MUST]: [contract: DeleteMachine MUST: "If a VM`
	if !strings.Contains(md, want) || !strings.Contains(md, "code NotFound, want one of [OK]") {
		t.Fatalf("summary lacks the rule and the observation:\n%s", md)
	}
	if report.SpecReports[0].Failure.Message != spec.Failure.Message {
		t.Error("withRules changed the caller's report")
	}
}

func TestSecretScannerFindsAndRedacts(t *testing.T) {
	t.Parallel()
	s := newSecretScanner(map[string][]byte{"token": []byte("s3cr3t-value"), "flag": []byte("1")})
	w := s.stream("stderr")
	_, _ = w.Write([]byte("creating with s3cr3"))
	_, _ = w.Write([]byte("t-value now\n")) // split across writes
	s.scan("events", "printed as bytes: "+`[115 51 99 114 51 116 45 118 97 108 117 101]`)
	s.scan("reports", "nothing here but 1")
	got := strings.Join(s.findings(), "; ")
	if got != `the value of secret key "token" appeared in events, stderr` {
		t.Errorf("findings: %s", got)
	}
	if r := s.redact("key s3cr3t-value and czNjcjN0LXZhbHVl"); strings.Contains(r, "s3cr3t") || strings.Contains(r, "czNj") {
		t.Errorf("not redacted: %s", r)
	}
}
