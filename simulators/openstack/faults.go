package openstack

import (
	"cmp"
	"net/http"
	"strconv"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Fault codes (core.FaultError.Code) this front-end answers natively. Any
// other code is answered with the rule's Status (503 when zero) and
// Message in the shape of the service called.
const (
	// FaultRateLimit: 429 overLimit with Retry-After: 1, as a rate-limited
	// OpenStack API answers.
	FaultRateLimit = "RateLimit"
	// FaultQuotaExceeded: the project's quota. Nova answers 403 "Quota
	// exceeded for instances", Cinder 413 overLimit, Neutron 409 OverQuota.
	FaultQuotaExceeded = "QuotaExceeded"
	// FaultNoValidHost on CreateServer: Nova accepts the server (202), then
	// its scheduler finds no host and the server goes to ERROR with fault
	// 500 "No valid host was found." On other operations: a 500.
	FaultNoValidHost = "NoValidHost"
	// FaultUnauthorized: 401 in Keystone's shape, as for a revoked token or
	// (on CreateToken) refused credentials.
	FaultUnauthorized = "Unauthorized"
)

const noValidHostMessage = "No valid host was found. There are not enough hosts available."

// faultError renders an injected fault as svc answers it. A non-zero
// Status or Message in the rule overrides the native one.
func (s *Server) faultError(svc service, f *core.FaultError) *apiError {
	e := &apiError{Status: http.StatusServiceUnavailable, Type: f.Code, Message: "injected by fault rule " + f.Rule}
	switch f.Code {
	case FaultRateLimit:
		e.Status, e.RetryAfter, e.Message = http.StatusTooManyRequests, 1, "This request was rate-limited."
	case FaultQuotaExceeded:
		e.Status, e.Type, e.Message = s.quotaFault(svc)
	case FaultNoValidHost:
		e.Status, e.Message = http.StatusInternalServerError, noValidHostMessage
	case FaultUnauthorized:
		e.Status, e.Shape, e.Message = http.StatusUnauthorized, identityService, "The request you have made requires authentication."
	}
	e.Status = cmp.Or(f.Status, e.Status)
	e.Message = cmp.Or(f.Message, e.Message)
	return e
}

// quotaFault is each service's answer to an exhausted quota.
func (s *Server) quotaFault(svc service) (int, string, string) {
	switch svc {
	case computeService:
		used := len(s.cloud.Live())
		return http.StatusForbidden, FaultQuotaExceeded, quotaMessage("instances", 1, used, used)
	case volumeService:
		return http.StatusRequestEntityTooLarge, FaultQuotaExceeded,
			"VolumeLimitExceeded: Maximum number of volumes allowed (" + strconv.Itoa(s.volumes.count()) + ") exceeded for quota 'volumes'."
	case networkService:
		return http.StatusConflict, "OverQuota", "Quota exceeded for resources: ['port']."
	}
	return http.StatusForbidden, FaultQuotaExceeded, "Quota exceeded."
}
