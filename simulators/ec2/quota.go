package ec2

import (
	"fmt"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// admit decides how many instances of launch l may start, between its
// MinCount and MaxCount, under the region's quotas of the world (the
// core's own quota applies after). A retry carrying the client token of an
// earlier launch is admitted with the count that launch had, so the core
// recognises and replays it.
func (s *Server) admit(req *request, l *launch) (int, error) {
	q := l.region.Quotas
	if q.Instances == 0 && q.VCPUs == 0 {
		return l.max, nil
	}
	if token := req.get("ClientToken"); token != "" {
		launched := 0
		for _, vm := range s.cloud.Snapshot() {
			if vm.ClientToken == token {
				launched++
			}
		}
		if launched > 0 {
			return launched, nil // the count the core remembers for the token
		}
	}
	instances, vcpus := s.regionUsage(l.region.Name)
	allowed := l.max
	if q.Instances > 0 {
		allowed = min(allowed, q.Instances-instances)
	}
	if q.VCPUs > 0 {
		allowed = min(allowed, (q.VCPUs-vcpus)/max(l.vcpus, 1))
	}
	if allowed >= l.min {
		return allowed, nil
	}
	return 0, s.quotaError(l.region, l.min, l.min*l.vcpus, instances, vcpus)
}

// checkQuota refuses to add count instances of vcpus vCPUs in all to region.
func (s *Server) checkQuota(ix *regionIndex, count, vcpus int) error {
	instances, used := s.regionUsage(ix.Name)
	q := ix.Quotas
	if q.Instances > 0 && instances+count > q.Instances || q.VCPUs > 0 && used+vcpus > q.VCPUs {
		return s.quotaError(ix, count, vcpus, instances, used)
	}
	return nil
}

func (s *Server) quotaError(ix *regionIndex, count, vcpus, instances, used int) error {
	q := ix.Quotas
	if q.Instances > 0 && instances+count > q.Instances {
		return &apiError{Status: http.StatusBadRequest, Code: "InstanceLimitExceeded", Message: fmt.Sprintf(
			"You have requested more instances (%d) than your current instance limit of %d allows.", instances+count, q.Instances)}
	}
	return &apiError{Status: http.StatusBadRequest, Code: "VcpuLimitExceeded", Message: fmt.Sprintf(
		"You have requested more vCPU capacity than your current vCPU limit of %d allows for the instance bucket that the specified instance type belongs to.", q.VCPUs)}
}

// regionUsage counts the pending and running instances of region and their
// vCPUs, whatever ReadLag says; stopped instances use no quota.
func (s *Server) regionUsage(region string) (instances, vcpus int) {
	now := s.cloud.Clock().Now()
	for _, vm := range s.cloud.Live() {
		if st := s.stateOf(vm, now); s.vmRegion(vm) == region && (st == core.Pending || st == core.Running) {
			instances, vcpus = instances+1, vcpus+vm.VCPUs
		}
	}
	return instances, vcpus
}
