package conformance

import (
	"fmt"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/machine-conformance/machine-conformance/providers"
)

// Native faults: the simulator fails CreateMachine the way the cloud does,
// and the driver must translate that into the contract's codes so that the
// controller retries what is transient and stops on what needs a human.
var _ = describeGroup("driver", func(env func() *harness) {
	for _, tc := range []struct {
		fault providers.Fault
		want  []codes.Code
	}{
		{providers.FaultThrottle, []codes.Code{codes.Unavailable, codes.ResourceExhausted}},
		{providers.FaultCapacity, []codes.Code{codes.ResourceExhausted}},
		{providers.FaultQuota, []codes.Code{codes.ResourceExhausted}},
		{providers.FaultAuth, []codes.Code{codes.Unauthenticated}},
	} {
		It(fmt.Sprintf("maps the cloud's %s failure of CreateMachine to %v [MUST]", tc.fault, tc.want), func(ctx SpecContext) {
			h := env()
			enforce(ruleCreateCodes)
			chaos := h.chaos()
			defer chaos.Fail(tc.fault, 100)()
			_, err := sampleRequest(h, "drv-fault-"+string(tc.fault)).create(ctx, h)
			expectCode(err, fmt.Sprintf("CreateMachine while the cloud answers %s", tc.fault), tc.want...)
		})
	}
})

var _ = describeGroup("driver", func(env func() *harness) {
	It("GetMachineStatus answers OutOfRange when two VMs carry one machine's name [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleStatusOutOfRange)
		chaos := h.chaos()
		r := sampleRequest(h, "drv-twins")
		resp, err := r.create(ctx, h)
		expectCode(err, "CreateMachine", codes.OK)
		twin, err := chaos.Duplicate(resp.ProviderID)
		Expect(err).NotTo(HaveOccurred())
		trackVM(h, r, twin)
		_, err = r.status(ctx, h)
		expectCode(err, fmt.Sprintf("GetMachineStatus with VMs %s and %s for one machine", resp.ProviderID, twin), codes.OutOfRange)
	})
})
