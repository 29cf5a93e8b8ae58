// Package conformance runs machine-conformance against this provider's
// driver, on the EC2 simulator and an embedded control plane; or, with the
// MACHINE_CONFORMANCE_* variables the reusable kind workflow sets, on a
// kind cluster with this provider's controller image deployed there.
package conformance

import (
	"context"
	"os"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/machine-conformance/machine-conformance/conformance"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/aws" // the EC2 simulator and sample class

	"example.com/machine-controller-manager-provider-example/pkg/example"
)

func TestConformance(t *testing.T) {
	p, err := providers.Get("aws")
	if err != nil {
		t.Fatal(err)
	}
	p.Name = "example"
	p.NewDriver = func(_ context.Context, env map[string]string) (driver.Driver, error) {
		return example.NewDriver(env["AWS_ENDPOINT_URL_EC2"]), nil
	}
	cfg := conformance.Config{Provider: p}
	if err := conformance.FromEnvironment(&cfg, os.Getenv); err != nil {
		t.Fatal(err)
	}
	conformance.Test(t, cfg)
}
