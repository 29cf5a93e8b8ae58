package aws

import (
	"net/http"
	"strings"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
)

// codec is what EC2 brings to providers/simkit: instance IDs in provider
// IDs, nodes named by private DNS, cluster membership by tag, EC2's own
// error codes.
type codec struct{}

// VMID reads the instance ID of a provider ID in zone or region form.
func (codec) VMID(providerID string) string {
	id, _ := awsdriver.InstanceID(providerID)
	return id
}

func (codec) ProviderID(vm core.VM) string { return awsdriver.ProviderID(vm.Zone, vm.ID) }

// Node joins the instances tagged for Cluster, named as EC2 names them.
func (codec) Node(vm core.VM) (nodes.Identity, bool) {
	for k := range vm.Tags {
		if strings.TrimPrefix(k, awsdriver.ClusterTagPrefix) == Cluster {
			return ec2.NodeIdentity(vm), true
		}
	}
	return nodes.Identity{}, false
}

// MachineName is the Name tag the driver launches instances with.
func (codec) MachineName(vm core.VM) string { return vm.Tags["Name"] }

func (codec) CreateOperation() string { return "RunInstances" }

// faults maps generic faults to EC2's own answers.
var faults = map[providers.Fault]core.FaultRule{
	providers.FaultThrottle:     {Error: &core.FaultError{Code: "RequestLimitExceeded", Status: http.StatusServiceUnavailable}},
	providers.FaultCapacity:     {Error: &core.FaultError{Code: "InsufficientInstanceCapacity", Status: http.StatusInternalServerError}},
	providers.FaultQuota:        {Error: &core.FaultError{Code: "InstanceLimitExceeded", Status: http.StatusBadRequest}},
	providers.FaultAuth:         {Operation: "*", Error: &core.FaultError{Code: "AuthFailure", Status: http.StatusUnauthorized}},
	providers.FaultLostResponse: {CommitThenFail: true, Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}},
}

func (codec) Fault(f providers.Fault) (core.FaultRule, bool) {
	rule, ok := faults[f]
	return rule, ok
}

// Codec is EC2's codec for providers/simkit, for commands that build the
// EC2 simulator themselves (cmd/cloud-simulator serves the control API
// with it).
func Codec() simkit.Codec { return codec{} }
