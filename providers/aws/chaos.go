package aws

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

var _ providers.Chaos = (*simulator)(nil)

// Duplicate puts a running copy of an instance into the simulator,
// bypassing the API: same tags, zone, type and image, a new instance ID.
func (s *simulator) Duplicate(providerID string) (string, error) {
	id := instanceID(providerID)
	for _, vm := range s.srv.Cloud().Snapshot() {
		if vm.ID != id {
			continue
		}
		twin := s.srv.Inject(core.LaunchSpec{Zone: vm.Zone, InstanceType: vm.InstanceType, ImageID: vm.ImageID,
			Tags: vm.Tags, Owner: core.Owner{Kind: core.Orphan, Cluster: vm.Owner.Cluster, Machine: vm.Owner.Machine}})
		return strings.TrimSuffix(providerID, id) + twin.ID, nil
	}
	return "", fmt.Errorf("Duplicate: no instance %s (from provider ID %q)", id, providerID)
}

// instanceID reads the instance ID of a provider ID in zone or region form.
func instanceID(providerID string) string {
	id, _ := awsdriver.InstanceID(providerID)
	return id
}

func (s *simulator) Vanish(providerID string) error {
	return s.srv.Cloud().Vanish(instanceID(providerID))
}

func (s *simulator) Alive(providerID string) (alive, known bool) {
	id := instanceID(providerID)
	if _, known = s.srv.Cloud().Owner(id); !known {
		return false, false
	}
	for _, vm := range s.srv.Cloud().Live() {
		if vm.ID == id {
			return true, true
		}
	}
	return false, true
}

// faults maps generic faults to EC2's own answers.
var faults = map[providers.Fault]core.FaultRule{
	providers.FaultThrottle:     {Error: &core.FaultError{Code: "RequestLimitExceeded", Status: http.StatusServiceUnavailable}},
	providers.FaultCapacity:     {Error: &core.FaultError{Code: "InsufficientInstanceCapacity", Status: http.StatusInternalServerError}},
	providers.FaultQuota:        {Error: &core.FaultError{Code: "InstanceLimitExceeded", Status: http.StatusBadRequest}},
	providers.FaultAuth:         {Operation: "*", Error: &core.FaultError{Code: "AuthFailure", Status: http.StatusUnauthorized}},
	providers.FaultLostResponse: {CommitThenFail: true, Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}},
}

func (s *simulator) Fail(f providers.Fault, count int) func() {
	rule := faults[f]
	rule.Name, rule.Count = string(f), count
	if rule.Operation == "" {
		rule.Operation = "RunInstances"
	}
	s.srv.Cloud().AddFault(rule)
	return s.srv.Cloud().ClearFaults
}

func (s *simulator) LiveVMs() []string {
	var ids []string
	for _, vm := range s.srv.Cloud().Live() {
		ids = append(ids, awsdriver.ProviderID(vm.Zone, vm.ID))
	}
	return ids
}

func (s *simulator) Kill(providerID string) error { return s.srv.Cloud().Kill(instanceID(providerID)) }

func (s *simulator) Lag(d time.Duration) func() {
	prev := s.srv.Cloud().SetReadLag(d)
	return func() { s.srv.Cloud().SetReadLag(prev) }
}
