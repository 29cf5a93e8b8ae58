package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/machine-conformance/machine-conformance/conformance"
)

// compare runs the differential check on two runs' reports and returns the
// exit code: 0 when the controllers agree, 1 when a machine differs
// beyond the known differences, 2 when the reports cannot be read.
func compare(opts options) int {
	if opts.compareReference == "" || opts.compareMCM == "" {
		fmt.Fprintln(os.Stderr, "machine-conformance: the differential check needs both --compare-reference and --compare-mcm")
		return 2
	}
	dir := opts.reportDir
	if dir == "" {
		name := "differential"
		if opts.provider != "" {
			name = opts.provider + "-differential"
		}
		dir = filepath.Join("_out", "conformance", name)
	}
	d, err := conformance.CompareReports(opts.compareReference, opts.compareMCM)
	if err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		return 2
	}
	if err := d.Write(dir); err != nil {
		fmt.Fprintln(os.Stderr, "machine-conformance:", err)
		return 2
	}
	fmt.Fprintln(os.Stderr, d.Summary())
	for _, line := range d.Unexplained() {
		fmt.Fprintln(os.Stderr, "  "+line)
	}
	fmt.Fprintf(os.Stderr, "machine-conformance: differential in %s (%s, %s)\n", dir,
		conformance.DifferentialMarkdownFile, conformance.DifferentialJSONFile)
	if !d.Agree() {
		return 1
	}
	return 0
}
