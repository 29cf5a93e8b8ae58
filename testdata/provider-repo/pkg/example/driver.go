// Package example is this provider's driver. In a real provider repository
// it is the provider's own code; here it reuses machine-conformance's
// reference AWS driver so the module stays small.
package example

import (
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"

	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
)

// NewDriver returns the provider's driver, talking to endpoint when set.
func NewDriver(endpoint string) driver.Driver {
	return awsdriver.New(awsdriver.Options{Endpoint: endpoint})
}
