// Package conformance verifies a machine provider end to end: its driver
// against MCM's contract, and its behaviour under the reference controller
// on a real kube-apiserver and etcd.
//
// It is a library first. Run it from `go test`:
//
//	func TestConformance(t *testing.T) {
//		conformance.Test(t, conformance.Config{Provider: myProvider})
//	}
//
// embed it in an existing Ginkgo suite with GinkgoTest, or use the CLI
// (cmd/machine-conformance), which only binds flags onto Config.
//
// Specs carry Ginkgo labels per group ("driver", "lifecycle"), so
// --ginkgo.label-filter runs a subset. One control plane serves the whole
// run; every timeout is driven by an injected clock, so a 20-minute creation
// timeout costs milliseconds.
package conformance
