package conformance

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// noteEntry names report entries the summary lists as notes.
const noteEntry = "NOTE"

// The rbac group judges the whole run: the reference controller ran as a
// user (or, in a cluster, a ServiceAccount) bound to nothing but
// controller/rbac/clusterrole.yaml.
var _ = describeGroup("rbac", func(env func() *harness) {
	It("the controller, bound only to its shipped ClusterRole, was never refused [MUST]", func(ctx SpecContext) {
		h := env()
		h.referenceOnly("MCM's machine controller runs under MCM's own roles, not the shipped ClusterRole")
		enforce(ruleRBAC)
		if h.inCluster() {
			refused, err := h.controllerRefusals(ctx)
			Expect(err).NotTo(HaveOccurred())
			Expect(refused).To(BeEmpty(), "requests of the controller's pod the API server refused with 403 (by method, from its %s): the ClusterRole lacks a rule", requestsMetric)
			return
		}
		Expect(h.requests.refused()).To(BeEmpty(), "requests the API server refused with 403: the ClusterRole lacks a rule")
	})

	It("reports the permissions the ClusterRole grants that this run never used", func() {
		h := env()
		h.referenceOnly("MCM's machine controller runs under MCM's own roles, not the shipped ClusterRole")
		if h.inCluster() {
			Skip("the requests of a controller in a pod are counted by its metrics, not recorded one by one")
		}
		unused := h.requests.unused(h.role.Rules)
		if len(unused) > 0 {
			AddReportEntry(noteEntry, "granted but unused in this run: "+strings.Join(unused, ", "), ReportEntryVisibilityNever)
		}
	})
})
