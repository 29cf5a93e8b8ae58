package awsauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const amzDateFormat = "20060102T150405Z"

// Signed is a verified request's identity and credential scope.
type Signed struct {
	AccessKeyID string
	Region      string
	Service     string
	Principal   Principal
}

// authHeader is a parsed "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header.
type authHeader struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
}

// Signer recomputes signatures; reuse one, it caches derived signing keys.
type Signer struct{ v4 *v4.Signer }

// NewSigner returns a Signer.
func NewSigner() *Signer { return &Signer{v4: v4.NewSigner()} }

// Verify checks r (whose body was read into body) is signed by a key of
// store for service in a region serves accepts. It recomputes the
// signature with the SDK's signer on a copy of the request that holds only
// the signed headers, and compares.
func (sg *Signer) Verify(store *Store, r *http.Request, body []byte, service string, serves func(region string) bool) (Signed, error) {
	a, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return Signed{}, &Error{Reason: Unsigned}
	}
	k, err := store.lookup(a.accessKey, r.Header.Get("X-Amz-Security-Token"))
	if err != nil {
		return Signed{}, err
	}
	if a.service != service || !serves(a.region) {
		return Signed{}, &Error{Reason: BadScope, AccessKeyID: a.accessKey, Detail: a.region + "/" + a.service}
	}
	when, err := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if err != nil {
		return Signed{}, &Error{Reason: Unsigned, Detail: "missing or malformed X-Amz-Date"}
	}
	cp, err := http.NewRequest(r.Method, r.URL.String(), nil)
	if err != nil {
		return Signed{}, &Error{Reason: Unsigned, Detail: err.Error()}
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
	creds := aws.Credentials{AccessKeyID: a.accessKey, SecretAccessKey: k.secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := sg.v4.SignHTTP(context.Background(), creds, cp, hex.EncodeToString(sum[:]), a.service, a.region, when); err != nil {
		return Signed{}, &Error{Reason: Unsigned, Detail: err.Error()}
	}
	want, _ := parseAuthorization(cp.Header.Get("Authorization"))
	if subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) != 1 {
		return Signed{}, &Error{Reason: BadSignature, AccessKeyID: a.accessKey}
	}
	return Signed{AccessKeyID: a.accessKey, Region: a.region, Service: a.service, Principal: k.principal}, nil
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
