package conformance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

// Report file names written into Config.ReportDir.
const (
	JUnitFile    = "junit.xml"
	JSONFile     = "report.json"
	MarkdownFile = "summary.md"
)

// outcome of one spec, as the summary counts it.
type outcome string

const (
	pass outcome = "pass"
	fail outcome = "fail"
	warn outcome = "warn"
	skip outcome = "skip"
)

func outcomeOf(s types.SpecReport) outcome {
	switch {
	case s.State.Is(types.SpecStateFailureStates):
		return fail
	case s.State == types.SpecStateSkipped || s.State == types.SpecStatePending:
		return skip
	}
	for _, e := range s.ReportEntries {
		if e.Name == shouldEntry {
			return warn
		}
	}
	return pass
}

// groupOf names the spec's group: the first of its labels that is a group.
func groupOf(s types.SpecReport) string {
	for _, l := range s.Labels() {
		for _, g := range groups {
			if g.name == l {
				return l
			}
		}
	}
	return "other"
}

// writeReports writes JUnit XML, Ginkgo's JSON and a Markdown summary into
// dir. Each file is written beside its final name and renamed into place,
// so a crash never leaves a half-written report.
func writeReports(dir string, r types.Report) error {
	r = withRules(r)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report dir %s: %w", dir, err)
	}
	write := func(name string, gen func(tmp string) error) error {
		final := filepath.Join(dir, name)
		tmp := final + ".partial"
		if err := gen(tmp); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("writing %s: %w", final, err)
		}
		return os.Rename(tmp, final)
	}
	return errors.Join(
		write(JUnitFile, func(tmp string) error { return reporters.GenerateJUnitReport(r, tmp) }),
		write(JSONFile, func(tmp string) error { return reporters.GenerateJSONReport(r, tmp) }),
		write(MarkdownFile, func(tmp string) error { return os.WriteFile(tmp, []byte(markdown(r)), 0o644) }),
	)
}

// markdown renders groups × pass/fail/warn/skip, then every failure,
// warning and skip with its reason.
func markdown(r types.Report) string {
	counts := map[string]map[outcome]int{}
	var details []string
	for _, s := range r.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		g, o := groupOf(s), outcomeOf(s)
		if counts[g] == nil {
			counts[g] = map[outcome]int{}
		}
		counts[g][o]++
		for _, e := range s.ReportEntries {
			if e.Name == noteEntry {
				details = append(details, fmt.Sprintf("- NOTE [%s] %s", g, oneLine(e.StringRepresentation())))
			}
		}
		switch o {
		case fail:
			details = append(details, fmt.Sprintf("- **FAIL** [%s] %s: %s", g, s.LeafNodeText, oneLine(s.Failure.Message)))
		case warn:
			for _, e := range s.ReportEntries {
				if e.Name == shouldEntry {
					details = append(details, fmt.Sprintf("- **WARN** [%s] %s: %s", g, s.LeafNodeText, oneLine(e.StringRepresentation())))
				}
			}
		case skip:
			details = append(details, fmt.Sprintf("- SKIP [%s] %s: %s", g, s.LeafNodeText, oneLine(s.Failure.Message)))
		}
	}
	names := make([]string, 0, len(counts))
	for g := range counts {
		names = append(names, g)
	}
	sort.Strings(names)
	var b strings.Builder
	verdict := "PASSED"
	if !r.SuiteSucceeded {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "# %s: %s\n\n| group | pass | fail | warn | skip |\n|---|---|---|---|---|\n", r.SuiteDescription, verdict)
	for _, g := range names {
		c := counts[g]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", g, c[pass], c[fail], c[warn], c[skip])
	}
	if len(details) > 0 {
		b.WriteString("\n" + strings.Join(details, "\n") + "\n")
	}
	return b.String()
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

// withRules returns r with each failure message led by the contract rule
// its spec enforces, so JUnit and the summary say which promise broke.
func withRules(r types.Report) types.Report {
	r.SpecReports = slices.Clone(r.SpecReports)
	for i, s := range r.SpecReports {
		if !s.State.Is(types.SpecStateFailureStates) {
			continue
		}
		var rules []string
		for _, e := range s.ReportEntries {
			if e.Name == ruleEntry {
				rules = append(rules, e.StringRepresentation())
			}
		}
		if len(rules) > 0 {
			r.SpecReports[i].Failure.Message = "[contract: " + strings.Join(rules, "; ") + "] " + s.Failure.Message
		}
	}
	return r
}
