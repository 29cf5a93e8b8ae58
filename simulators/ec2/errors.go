package ec2

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// apiError is an EC2 error answer.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func invalidParameter(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterValue", Message: msg}
}

func missingParameter(name string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "MissingParameter",
		Message: "The request must contain the parameter " + name}
}

func faultError(f *core.FaultError) *apiError {
	d := f.WithDefaults(http.StatusServiceUnavailable)
	return &apiError{Status: d.Status, Code: d.Code, Message: d.Message}
}

type errorResponse struct {
	XMLName   xml.Name    `xml:"Response"`
	Errors    []errorItem `xml:"Errors>Error"`
	RequestID string      `xml:"RequestID"`
}

type errorItem struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func (s *Server) writeError(w http.ResponseWriter, req *request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{Status: http.StatusInternalServerError, Code: "InternalError", Message: err.Error()}
	}
	id, action := "", ""
	if req != nil {
		id, action = req.id, req.action
	}
	s.cloud.Record(core.Event{Kind: core.KindCall, Operation: action, Code: ae.Code, Detail: ae.Message})
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(ae.Status)
	_ = xml.NewEncoder(w).Encode(errorResponse{Errors: []errorItem{{Code: ae.Code, Message: ae.Message}}, RequestID: id})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}
