package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Files the differential check writes into its folder.
const (
	DifferentialJSONFile     = "differential.json"
	DifferentialMarkdownFile = "differential.md"
)

// Counts sums up the comparison: machines that agree outright, agree once
// known differences are set aside, or differ; specs not compared.
func (d *Differential) Counts() (same, explained, differ, notCompared int) {
	for _, s := range d.Specs {
		if s.NotCompared != "" {
			notCompared++
		}
		for _, m := range s.Machines {
			switch {
			case len(m.Differences) > 0:
				differ++
			case len(m.Explained) > 0:
				explained++
			default:
				same++
			}
		}
	}
	return
}

// Summary is the one line the command prints.
func (d *Differential) Summary() string {
	same, explained, differ, notCompared := d.Counts()
	verdict := "agree"
	if differ > 0 {
		verdict = "DIFFER"
	}
	return fmt.Sprintf("differential: reference and MCM controllers %s: %d machines identical, %d identical but for known differences, %d differ; %d specs not compared",
		verdict, same, explained, differ, notCompared)
}

// Markdown renders the comparison: every spec, every machine, and the
// known differences that applied.
func (d *Differential) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Differential check: reference controller vs MCM's\n\n%s\n\n", d.Summary())
	fmt.Fprintf(&b, "Reports compared: `%s` (reference) and `%s` (MCM).\n\n", d.Reference, d.MCM)
	b.WriteString("| group | spec | machine | verdict | phases | driver calls (body) | VMs made / alive |\n|---|---|---|---|---|---|---|\n")
	for _, s := range d.Specs {
		if s.NotCompared != "" {
			fmt.Fprintf(&b, "| %s | %s | | not compared: %s | | | |\n", s.Group, s.Spec, mdCell(s.NotCompared))
			continue
		}
		for _, m := range s.Machines {
			verdict := "same"
			switch {
			case len(m.Differences) > 0:
				verdict = "**differs**: " + strings.Join(m.Differences, "; ")
			case len(m.Explained) > 0:
				verdict = "same but for " + strings.Join(m.Explained, ", ")
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", s.Group, s.Spec, m.Machine, mdCell(verdict),
				mdCell(side(m, func(t *machineTrace) string { return seq(t.Phases) })),
				mdCell(side(m, func(t *machineTrace) string { return seq(t.Calls) })),
				side(m, func(t *machineTrace) string { return fmt.Sprintf("%d / %d", t.VMsMade, t.VMsAlive) }))
		}
	}
	b.WriteString("\n## Known differences\n\n")
	for _, k := range knownDifferences {
		fmt.Fprintf(&b, "- `%s`: %s. %s\n", k.ID, k.Summary, k.Reason)
	}
	return b.String()
}

// side shows one value of both traces, once when they are the same.
func side(m MachineDiff, f func(*machineTrace) string) string {
	var r, c string
	if m.Reference != nil {
		r = f(m.Reference)
	}
	if m.MCM != nil {
		c = f(m.MCM)
	}
	if r == c {
		return r
	}
	return "reference: " + r + "<br>MCM: " + c
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// Write writes differential.json and differential.md into dir, each
// beside its final name first and renamed into place.
func (d *Differential) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("differential: report dir %s: %w", dir, err)
	}
	js, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	write := func(name string, data []byte) error {
		final := filepath.Join(dir, name)
		if err := os.WriteFile(final+".partial", data, 0o644); err != nil {
			_ = os.Remove(final + ".partial")
			return fmt.Errorf("writing %s: %w", final, err)
		}
		return os.Rename(final+".partial", final)
	}
	return errors.Join(write(DifferentialJSONFile, js), write(DifferentialMarkdownFile, []byte(d.Markdown())))
}
