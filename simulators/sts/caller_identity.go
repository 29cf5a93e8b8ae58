package sts

import "encoding/xml"

type getCallerIdentityResponse struct {
	XMLName   xml.Name `xml:"GetCallerIdentityResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Arn       string   `xml:"GetCallerIdentityResult>Arn"`
	UserID    string   `xml:"GetCallerIdentityResult>UserId"`
	Account   string   `xml:"GetCallerIdentityResult>Account"`
	RequestID string   `xml:"ResponseMetadata>RequestId"`
}

// getCallerIdentity names the principal whose key signed the request.
func getCallerIdentity(_ *Server, req *request) (any, error) {
	p := req.signed.Principal
	return &getCallerIdentityResponse{Xmlns: xmlns, Arn: p.ARN, UserID: p.UserID, Account: p.Account, RequestID: req.id}, nil
}
