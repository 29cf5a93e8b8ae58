package conformance

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// Differential is the comparison of two runs of the suite on one provider,
// one with the reference controller and one with MCM's own: for every spec
// of the lifecycle, safety and finalizers groups that passed in both, and
// every machine the spec touched, the Machine's phase sequence, the
// controller's driver calls and the cloud the oracle saw must agree, once
// the differences listed in knownDifferences are set aside.
type Differential struct {
	Reference string     `json:"reference"` // report folders compared
	MCM       string     `json:"mcm"`
	Specs     []SpecDiff `json:"specs"`
}

// SpecDiff is one spec's comparison.
type SpecDiff struct {
	Group string `json:"group"`
	Spec  string `json:"spec"`
	// NotCompared says why the spec was left out (skipped or failed in a
	// run, no trace); empty when its machines were compared.
	NotCompared string        `json:"notCompared,omitempty"`
	Machines    []MachineDiff `json:"machines,omitempty"`
}

// MachineDiff is one machine name's comparison within a spec.
type MachineDiff struct {
	Machine   string        `json:"machine"`
	Reference *machineTrace `json:"reference"`
	MCM       *machineTrace `json:"mcm"`
	// Explained lists the known differences (by ID) that applied.
	Explained []string `json:"explained,omitempty"`
	// Differences says what still differs; empty means the two agree.
	Differences []string `json:"differences,omitempty"`
}

// Agree reports whether no machine differs beyond the known differences.
func (d *Differential) Agree() bool {
	return len(d.Unexplained()) == 0
}

// Unexplained lists every difference left, one line each, naming the
// spec and the machine.
func (d *Differential) Unexplained() []string {
	var out []string
	for _, s := range d.Specs {
		for _, m := range s.Machines {
			for _, diff := range m.Differences {
				out = append(out, fmt.Sprintf("[%s] %s: machine %s: %s", s.Group, s.Spec, m.Machine, diff))
			}
		}
	}
	return out
}

// CompareReports reads report.json from two report folders, one written
// by a run with the reference controller and one by a run with MCM's, and
// compares their traces. It fails when a folder holds no report, or a
// report of the wrong controller, naming the file.
func CompareReports(referenceDir, mcmDir string) (*Differential, error) {
	ref, err := readTraces(referenceDir, ControllerReference)
	if err != nil {
		return nil, err
	}
	mcm, err := readTraces(mcmDir, ControllerMCM)
	if err != nil {
		return nil, err
	}
	d := &Differential{Reference: referenceDir, MCM: mcmDir}
	for _, key := range ref.order {
		r := ref.specs[key]
		s := SpecDiff{Group: r.group, Spec: r.text}
		m, ok := mcm.specs[key]
		switch {
		case !ok:
			s.NotCompared = "not in the MCM run's report"
		case r.state != "passed" || m.state != "passed":
			s.NotCompared = fmt.Sprintf("%s with the reference controller, %s with MCM's", r.state, m.state)
			if m.reason != "" {
				s.NotCompared += ": " + m.reason
			}
		case r.trace == nil || m.trace == nil:
			s.NotCompared = "no trace in one of the reports"
		default:
			s.Machines = compareSpec(r.trace, m.trace)
		}
		d.Specs = append(d.Specs, s)
	}
	return d, nil
}

// tracedRun is one report's traced specs, keyed by group and text.
type tracedRun struct {
	order []string
	specs map[string]tracedSpecReport
}

type tracedSpecReport struct {
	group, text, state, reason string
	trace                      *specTrace
}

// readTraces reads a run's report.json and keeps the specs of the traced
// groups, checking the report was written by the expected controller.
func readTraces(dir, controller string) (*tracedRun, error) {
	path := filepath.Join(dir, JSONFile)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("differential: reading a run's report: %w (run `make conformance` for the reference controller and `make conformance CONTROLLER=mcm` for MCM's first)", err)
	}
	var reports []types.Report
	if err := json.Unmarshal(raw, &reports); err != nil {
		return nil, fmt.Errorf("differential: %s is not a Ginkgo JSON report: %w", path, err)
	}
	run := &tracedRun{specs: map[string]tracedSpecReport{}}
	for _, r := range reports {
		for _, s := range r.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt || !tracedSpec(s) {
				continue
			}
			ts := tracedSpecReport{group: groupOf(s), text: s.LeafNodeText, state: s.State.String()}
			if s.State == types.SpecStateSkipped {
				ts.reason = oneLine(s.Failure.Message)
			}
			for _, e := range s.ReportEntries {
				if e.Name != traceEntry {
					continue
				}
				t := &specTrace{}
				if err := json.Unmarshal([]byte(e.Value.AsJSON), t); err != nil {
					return nil, fmt.Errorf("differential: %s: the trace of %q: %w", path, s.LeafNodeText, err)
				}
				if t.Controller != controller {
					return nil, fmt.Errorf("differential: %s was written by a run with the %s controller; want %s", path, t.Controller, controller)
				}
				ts.trace = t
			}
			key := ts.group + "\x00" + ts.text
			run.order = append(run.order, key)
			run.specs[key] = ts
		}
	}
	if len(run.order) == 0 {
		return nil, fmt.Errorf("differential: %s holds no spec of the groups %s", path, strings.Join(tracedGroups, ", "))
	}
	return run, nil
}

// compareSpec compares the machines of one spec, in name order.
func compareSpec(ref, mcm *specTrace) []MachineDiff {
	var names []string
	for n := range ref.Machines {
		names = append(names, n)
	}
	for n := range mcm.Machines {
		if _, ok := ref.Machines[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	var out []MachineDiff
	for _, n := range names {
		out = append(out, compareMachine(n, ref, mcm))
	}
	return out
}

// compareMachine compares one machine name's traces: phases, the
// controller's driver calls during the spec's body (collapsed), and the
// oracle's counts of VMs made and alive when the body ended.
func compareMachine(name string, ref, mcm *specTrace) MachineDiff {
	md := MachineDiff{Machine: name, Reference: ref.Machines[name], MCM: mcm.Machines[name]}
	switch {
	case md.Reference == nil:
		md.Differences = append(md.Differences, "touched only in the MCM run")
		return md
	case md.MCM == nil:
		md.Differences = append(md.Differences, "touched only in the reference run")
		return md
	}
	r, m := md.Reference.normalized(), md.MCM.normalized()
	for _, k := range knownDifferences {
		if k.apply(&r, &m) {
			md.Explained = append(md.Explained, k.ID)
		}
	}
	if !slices.Equal(r.Phases, m.Phases) {
		md.Differences = append(md.Differences, fmt.Sprintf("phases: reference %s, MCM %s", seq(r.Phases), seq(m.Phases)))
	}
	if ref.CallsRecorded && mcm.CallsRecorded && !slices.Equal(r.Calls, m.Calls) {
		md.Differences = append(md.Differences, fmt.Sprintf("driver calls: reference %s, MCM %s", seq(r.Calls), seq(m.Calls)))
	}
	if ref.Oracle && mcm.Oracle && (r.VMsMade != m.VMsMade || r.VMsAlive != m.VMsAlive) {
		md.Differences = append(md.Differences, fmt.Sprintf("cloud: reference made %d VMs (%d alive), MCM made %d (%d alive)",
			r.VMsMade, r.VMsAlive, m.VMsMade, m.VMsAlive))
	}
	return md
}

// normalized is a copy whose lists can be changed freely.
func (t *machineTrace) normalized() machineTrace {
	c := *t
	c.Phases, c.Calls = slices.Clone(t.Phases), slices.Clone(t.Calls)
	return c
}

// seq prints a phase or call sequence; "" is a Machine without a phase.
func seq(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = cmp.Or(s, `""`)
	}
	return strings.Join(out, " → ")
}
