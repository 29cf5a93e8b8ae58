package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// writeTracedReport writes a report.json holding one passed lifecycle spec
// with the given machines' traces, as a run with controller would.
func writeTracedReport(t *testing.T, controller string, state types.SpecState, machines map[string]*machineTrace) string {
	t.Helper()
	dir := t.TempDir()
	tr := specTrace{Controller: controller, Machines: machines, CallsRecorded: true, Oracle: true}
	spec := types.SpecReport{
		LeafNodeType:   types.NodeTypeIt,
		LeafNodeText:   "takes a Machine to Running",
		LeafNodeLabels: []string{"lifecycle"},
		State:          state,
		ReportEntries:  types.ReportEntries{{Name: traceEntry, Value: types.WrapEntryValue(tr)}},
	}
	raw, err := json.Marshal([]types.Report{{SpecReports: types.SpecReports{spec}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, JSONFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func running(calls ...string) *machineTrace {
	return &machineTrace{Phases: []string{"", "Pending", "Running", "Terminating", phaseDeleted}, Calls: calls, VMsMade: 1}
}

func TestCompareReports(t *testing.T) {
	t.Parallel()
	refCalls := []string{"GetMachineStatus:NotFound", "CreateMachine:OK", "InitializeMachine:Unimplemented", "DeleteMachine:OK"}
	mcmCalls := []string{"GetMachineStatus:NotFound", "CreateMachine:OK", "InitializeMachine:Unimplemented", "GetMachineStatus:OK", "DeleteMachine:OK"}
	tests := []struct {
		name       string
		ref, mcm   *machineTrace
		mcmState   types.SpecState
		agree      bool
		explained  []string
		difference string // a substring of the one difference expected
		skipped    string
	}{
		{name: "identical", ref: running(refCalls...), mcm: running(refCalls...), agree: true},
		{name: "MCM's confirming read after create is a known difference", ref: running(refCalls...), mcm: running(mcmCalls...),
			agree: true, explained: []string{"create-confirm"}},
		{name: "a second CreateMachine differs", ref: running(refCalls...),
			mcm:        running("GetMachineStatus:NotFound", "CreateMachine:OK", "CreateMachine:OK", "DeleteMachine:OK"),
			difference: "driver calls: reference GetMachineStatus:NotFound → CreateMachine:OK → InitializeMachine:Unimplemented → DeleteMachine:OK"},
		{name: "phases differ", ref: running(refCalls...),
			mcm:        &machineTrace{Phases: []string{"", "Pending", "Failed", phaseDeleted}, Calls: refCalls, VMsMade: 1},
			difference: `phases: reference "" → Pending → Running → Terminating → (deleted), MCM "" → Pending → Failed → (deleted)`},
		{name: "two VMs for one machine differ", ref: running(refCalls...),
			mcm:        &machineTrace{Phases: running().Phases, Calls: refCalls, VMsMade: 2, VMsAlive: 1},
			difference: "cloud: reference made 1 VMs (0 alive), MCM made 2 (1 alive)"},
		{name: "a spec skipped in one run is not compared", ref: running(refCalls...), mcm: running(), mcmState: types.SpecStateSkipped,
			agree: true, skipped: "passed with the reference controller, skipped with MCM's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			state := tt.mcmState
			if state == 0 {
				state = types.SpecStatePassed
			}
			ref := writeTracedReport(t, ControllerReference, types.SpecStatePassed, map[string]*machineTrace{"m": tt.ref})
			mcm := writeTracedReport(t, ControllerMCM, state, map[string]*machineTrace{"m": tt.mcm})
			d, err := CompareReports(ref, mcm)
			if err != nil {
				t.Fatal(err)
			}
			if d.Agree() != tt.agree {
				t.Fatalf("Agree() = %v, want %v; unexplained: %v", d.Agree(), tt.agree, d.Unexplained())
			}
			if tt.skipped != "" {
				if got := d.Specs[0].NotCompared; !strings.Contains(got, tt.skipped) {
					t.Fatalf("NotCompared = %q, want it to contain %q", got, tt.skipped)
				}
				return
			}
			m := d.Specs[0].Machines[0]
			if strings.Join(m.Explained, ",") != strings.Join(tt.explained, ",") {
				t.Errorf("Explained = %v, want %v", m.Explained, tt.explained)
			}
			if tt.difference != "" && (len(m.Differences) != 1 || !strings.Contains(m.Differences[0], tt.difference)) {
				t.Errorf("Differences = %q, want one containing %q", m.Differences, tt.difference)
			}
		})
	}
}

func TestCompareReportsRefusesBadInput(t *testing.T) {
	t.Parallel()
	ref := writeTracedReport(t, ControllerReference, types.SpecStatePassed, map[string]*machineTrace{"m": running()})
	garbled := t.TempDir()
	if err := os.WriteFile(filepath.Join(garbled, JSONFile), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, mcm, want string
	}{
		{"no report", t.TempDir(), "reading a run's report"},
		{"not a report", garbled, "is not a Ginkgo JSON report"},
		{"the same controller twice", ref, "was written by a run with the reference controller; want mcm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompareReports(ref, tt.mcm)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestKnownDifferencesAreInREADME keeps the README's table of differences
// between the controllers in step with the comparison's known differences.
func TestKnownDifferencesAreInREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range knownDifferences {
		if !regexp.MustCompile("`" + regexp.QuoteMeta(k.ID) + "`").Match(readme) {
			t.Errorf("known difference %q is not listed in README.md", k.ID)
		}
	}
}
