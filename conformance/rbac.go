package conformance

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// noteEntry names report entries the summary lists as notes.
const noteEntry = "NOTE"

// The rbac group judges the whole run: the reference controller ran as a
// user bound to nothing but controller/rbac/clusterrole.yaml.
var _ = describeGroup("rbac", func(env func() *harness) {
	It("the controller, bound only to its shipped ClusterRole, was never refused [MUST]", func() {
		h := env()
		h.referenceOnly("the requests of a child process are not recorded")
		enforce(ruleRBAC)
		Expect(h.requests.refused()).To(BeEmpty(), "requests the API server refused with 403: the ClusterRole lacks a rule")
	})

	It("reports the permissions the ClusterRole grants that this run never used", func() {
		h := env()
		h.referenceOnly("the requests of a child process are not recorded")
		unused := h.requests.unused(h.role.Rules)
		if len(unused) > 0 {
			AddReportEntry(noteEntry, "granted but unused in this run: "+strings.Join(unused, ", "), ReportEntryVisibilityNever)
		}
	})
})
