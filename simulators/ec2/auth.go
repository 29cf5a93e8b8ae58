package ec2

import (
	"errors"
	"net/http"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
)

// verifySignature checks the request's SigV4 signature against the
// credential store (long-term keys and keys STS issued) and that its
// scope is ec2 in a region of the world, and answers as EC2 does when not.
func (s *Server) verifySignature(r *http.Request, body []byte) (awsauth.Signed, error) {
	signed, err := s.signer.Verify(s.auth, r, body, "ec2", func(region string) bool { return s.regions[region] != nil })
	var ae *awsauth.Error
	if err == nil || !errors.As(err, &ae) {
		return signed, err
	}
	const denied = "AWS was not able to validate the provided access credentials"
	switch ae.Reason {
	case awsauth.Expired:
		return signed, &apiError{Status: http.StatusBadRequest, Code: "RequestExpired", Message: "Request has expired. (" + ae.Error() + ")"}
	case awsauth.BadScope:
		return signed, &apiError{Status: http.StatusUnauthorized, Code: "AuthFailure", Message: denied + " (credential scope " + ae.Detail +
			": this endpoint serves ec2 in " + strings.Join(s.world.RegionNames(), ", ") + ")"}
	}
	return signed, &apiError{Status: http.StatusUnauthorized, Code: "AuthFailure", Message: denied + " (" + ae.Error() + ")"}
}
