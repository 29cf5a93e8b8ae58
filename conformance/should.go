package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
)

// shouldEntry names the report entry of a SHOULD the provider missed.
const shouldEntry = "SHOULD"

// should records a SHOULD of the contract that the provider missed: the
// spec still passes, and the reports list it as a warning. MUSTs use
// Expect and fail the spec.
func should(ok bool, format string, args ...any) {
	if ok {
		return
	}
	msg := active.Load().redact(fmt.Sprintf(format, args...))
	AddReportEntry(shouldEntry, msg, ReportEntryVisibilityFailureOrVerbose)
	GinkgoWriter.Println("SHOULD violated:", msg)
}
