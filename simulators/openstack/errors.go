package openstack

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// service names an OpenStack API; it decides the shape of error bodies.
type service string

const (
	identityService service = "identity"
	computeService  service = "compute"
	networkService  service = "network"
	volumeService   service = "volume"
	imageService    service = "image"
)

// apiError is an error answer, rendered in the shape of the service that
// gives it.
type apiError struct {
	Status int
	// Type is Neutron's error type (PortNotFound, OverQuota, ...). Other
	// services do not send it; the event log records it when set.
	Type    string
	Message string
	// RetryAfter, in seconds, is sent as the Retry-After header (and in
	// the body of overLimit faults) when positive.
	RetryAfter int
	// Shape, when set, renders the error as that service does whatever
	// service answers: a refused token is Keystone middleware's answer.
	Shape service
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.code(), e.Message) }

// code is what the event log records: the Neutron type, else the fault name.
func (e *apiError) code() string {
	if e.Type != "" {
		return e.Type
	}
	return faultName(e.Status)
}

func errorf(status int, typ, format string, args ...any) *apiError {
	return &apiError{Status: status, Type: typ, Message: fmt.Sprintf(format, args...)}
}

// faultName is the key Nova and Cinder wrap an error in, by status.
func faultName(status int) string {
	switch status {
	case 400:
		return "badRequest"
	case 401:
		return "unauthorized"
	case 403:
		return "forbidden"
	case 404:
		return "itemNotFound"
	case 405:
		return "badMethod"
	case 409:
		return "conflictingRequest"
	case 413, 429:
		return "overLimit"
	case 415:
		return "badMediaType"
	case 501:
		return "notImplemented"
	case 503:
		return "serviceUnavailable"
	}
	return "computeFault"
}

type neutronError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Detail  string `json:"detail"`
}

type computeFault struct {
	Code       int    `json:"code"`
	Message    string `json:"message"`
	RetryAfter string `json:"retryAfter,omitempty"`
}

// body renders e as svc renders its errors: Nova and Cinder wrap a fault
// in its name, Neutron in NeutronError, Keystone in "error", and Glance
// answers as its web framework does.
func (e *apiError) body(svc service) any {
	switch svc {
	case networkService:
		typ := e.Type
		if typ == "" {
			typ = http.StatusText(e.Status)
		}
		return map[string]neutronError{"NeutronError": {Type: typ, Message: e.Message}}
	case identityService:
		return map[string]any{"error": map[string]any{"code": e.Status, "title": http.StatusText(e.Status), "message": e.Message}}
	case imageService:
		return map[string]any{"code": strconv.Itoa(e.Status) + " " + http.StatusText(e.Status),
			"title": http.StatusText(e.Status), "message": e.Message}
	}
	f := computeFault{Code: e.Status, Message: e.Message}
	if e.Status == 413 || e.Status == 429 {
		f.RetryAfter = strconv.Itoa(e.RetryAfter)
	}
	return map[string]computeFault{faultName(e.Status): f}
}

// asAPIError turns any error into an answer: internal errors become 500s.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	return &apiError{Status: http.StatusInternalServerError, Message: "simulator internal error: " + err.Error()}
}

// writeError answers with err in svc's shape.
func writeError(w http.ResponseWriter, svc service, err *apiError) {
	if err.Shape != "" {
		svc = err.Shape
	}
	if err.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(err.RetryAfter))
	}
	writeJSON(w, err.Status, err.body(svc))
}
