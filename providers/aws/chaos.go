package aws

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

var _ providers.Chaos = (*simulator)(nil)

// InjectVM puts a running instance with the spec's tags and Name into the
// simulator, bypassing the API.
func (s *simulator) InjectVM(raw json.RawMessage, machineName string) (string, error) {
	var spec awsdriver.ProviderSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return "", fmt.Errorf("InjectVM: %w", err)
	}
	tags := map[string]string{"Name": machineName}
	cluster := ""
	for k, v := range spec.Tags {
		tags[k] = v
		if c, ok := strings.CutPrefix(k, awsdriver.ClusterTagPrefix); ok {
			cluster = c
		}
	}
	zone := spec.Zone
	if zone == "" {
		zone = s.srv.Region() + "a"
	}
	vm := s.srv.Inject(core.LaunchSpec{Zone: zone, InstanceType: spec.MachineType,
		ImageID: spec.AMI, Tags: tags, Owner: core.Owner{Kind: core.Orphan, Cluster: cluster, Machine: machineName}})
	return awsdriver.ProviderID(zone, vm.ID), nil
}

// instanceID reads the instance ID of one of the simulator's provider IDs.
func instanceID(providerID string) string {
	id, _ := awsdriver.InstanceID(providerID)
	return id
}

func (s *simulator) Vanish(providerID string) error {
	return s.srv.Cloud().Vanish(instanceID(providerID))
}

func (s *simulator) Owner(providerID string) (providers.OwnerKind, bool, bool) {
	id := instanceID(providerID)
	o, known := s.srv.Cloud().Owner(id)
	if !known {
		return "", false, false
	}
	kind := providers.OwnerManaged
	if o.Kind != core.Managed {
		kind = providers.OwnerInjected
	}
	alive := false
	for _, vm := range s.srv.Cloud().Live() {
		alive = alive || vm.ID == id
	}
	return kind, alive, true
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
