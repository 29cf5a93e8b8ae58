// Package all imports every provider so that it registers itself; commands
// and tests import it once. Adding a provider adds one line here.
package all

import (
	_ "github.com/machine-conformance/machine-conformance/providers/aws"
	_ "github.com/machine-conformance/machine-conformance/providers/memory"
	_ "github.com/machine-conformance/machine-conformance/providers/openstack"
)
