package openstack_test

import (
	"testing"

	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/openstack"
)

// TestConformance runs the suite against the openstack driver and the
// OpenStack simulator on the embedded control plane: a Machine goes to
// Running with its node joined through the simulator, and back to deleted.
func TestConformance(t *testing.T) {
	if testing.Short() {
		t.Skip("conformance run skipped under -short")
	}
	p, err := providers.Get("openstack")
	if err != nil {
		t.Fatal(err)
	}
	conformance.Test(t, conformance.Config{Provider: p})
}
