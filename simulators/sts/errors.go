package sts

import (
	"encoding/xml"
	"errors"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// xmlns is the namespace of every STS answer.
const xmlns = "https://sts.amazonaws.com/doc/2011-06-15/"

// apiError is an STS error answer.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func validation(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "ValidationError", Message: msg}
}

// verify checks a signed request and answers as STS does when it fails.
func (s *Server) verify(r *http.Request, body []byte) (awsauth.Signed, error) {
	signed, err := s.signer.Verify(s.opts.Auth, r, body, "sts", s.serves)
	var ae *awsauth.Error
	if err == nil || !errors.As(err, &ae) {
		return signed, err
	}
	forbidden := func(code, msg string) error {
		return &apiError{Status: http.StatusForbidden, Code: code, Message: msg + " (" + ae.Error() + ")"}
	}
	switch ae.Reason {
	case awsauth.Unsigned:
		return signed, forbidden("MissingAuthenticationToken", "Request is missing Authentication Token")
	case awsauth.Expired:
		return signed, forbidden("ExpiredToken", "The security token included in the request is expired")
	case awsauth.BadSignature:
		return signed, forbidden("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	case awsauth.BadScope:
		return signed, forbidden("SignatureDoesNotMatch", "Credential should be scoped to a valid region and to service 'sts'.")
	}
	return signed, forbidden("InvalidClientTokenId", "The security token included in the request is invalid.")
}

func faultError(f *core.FaultError) *apiError {
	d := f.WithDefaults(http.StatusServiceUnavailable)
	return &apiError{Status: d.Status, Code: d.Code, Message: d.Message}
}

type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

func (s *Server) writeError(w http.ResponseWriter, req *request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: err.Error()}
	}
	s.opts.Cloud.Record(core.Event{Kind: core.KindCall, Operation: req.action, Code: ae.Code, Detail: ae.Message})
	kind := "Sender"
	if ae.Status >= 500 {
		kind = "Receiver"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(ae.Status)
	_ = xml.NewEncoder(w).Encode(errorResponse{Xmlns: xmlns, Type: kind, Code: ae.Code, Message: ae.Message, RequestID: req.id})
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}
