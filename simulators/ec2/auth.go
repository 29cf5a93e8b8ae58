package ec2

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const amzDateFormat = "20060102T150405Z"

// authHeader is a parsed "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header.
type authHeader struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

func parseAuthorization(h string) (authHeader, bool) {
	var a authHeader
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return a, false
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return a, false
			}
			a.accessKey, a.date, a.region, a.service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			a.signature = v
		}
	}
	return a, a.accessKey != "" && a.signature != "" && len(a.signedHeaders) > 0
}

// verifySignature recomputes the request's SigV4 signature with the secret
// of its access key, using the SDK's own signer on a copy of the request
// that holds only the signed headers, and compares.
func (s *Server) verifySignature(r *http.Request, body []byte) (string, error) {
	a, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return "", &apiError{Status: http.StatusUnauthorized, Code: "AuthFailure",
			Message: "AWS was not able to validate the provided access credentials (no valid SigV4 Authorization header)"}
	}
	secret, known := s.opts.Credentials[a.accessKey]
	if !known {
		return "", &apiError{Status: http.StatusUnauthorized, Code: "AuthFailure",
			Message: "AWS was not able to validate the provided access credentials (unknown access key " + a.accessKey + ")"}
	}
	if a.service != "ec2" || a.region != s.opts.Region {
		return "", &apiError{Status: http.StatusUnauthorized, Code: "AuthFailure",
			Message: "credential scope " + a.region + "/" + a.service + " does not match " + s.opts.Region + "/ec2"}
	}
	when, err := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", &apiError{Status: http.StatusBadRequest, Code: "AuthFailure", Message: "missing or malformed X-Amz-Date"}
	}
	cp, err := http.NewRequest(r.Method, r.URL.String(), nil)
	if err != nil {
		return "", err
	}
	cp.Host = r.Host
	for _, name := range a.signedHeaders {
		switch name {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			for _, v := range r.Header.Values(name) {
				cp.Header.Add(name, v)
			}
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: a.accessKey, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := s.signer.SignHTTP(context.Background(), creds, cp, hex.EncodeToString(sum[:]), a.service, a.region, when); err != nil {
		return "", err
	}
	want, _ := parseAuthorization(cp.Header.Get("Authorization"))
	if subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) != 1 {
		return "", &apiError{Status: http.StatusUnauthorized, Code: "AuthFailure",
			Message: "AWS was not able to validate the provided access credentials (signature mismatch: wrong secret key?)"}
	}
	return a.accessKey, nil
}
