package sts

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
)

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

type credentialsXML struct {
	AccessKeyID     string `xml:"AccessKeyId"`
	SecretAccessKey string `xml:"SecretAccessKey"`
	SessionToken    string `xml:"SessionToken"`
	Expiration      string `xml:"Expiration"`
}

type assumedRoleUserXML struct {
	Arn           string `xml:"Arn"`
	AssumedRoleID string `xml:"AssumedRoleId"`
}

type assumeRoleWithWebIdentityResponse struct {
	XMLName         xml.Name           `xml:"AssumeRoleWithWebIdentityResponse"`
	Xmlns           string             `xml:"xmlns,attr"`
	Subject         string             `xml:"AssumeRoleWithWebIdentityResult>SubjectFromWebIdentityToken"`
	Audience        string             `xml:"AssumeRoleWithWebIdentityResult>Audience,omitempty"`
	AssumedRoleUser assumedRoleUserXML `xml:"AssumeRoleWithWebIdentityResult>AssumedRoleUser"`
	Credentials     credentialsXML     `xml:"AssumeRoleWithWebIdentityResult>Credentials"`
	Provider        string             `xml:"AssumeRoleWithWebIdentityResult>Provider,omitempty"`
	RequestID       string             `xml:"ResponseMetadata>RequestId"`
}

// assumeRoleWithWebIdentity exchanges a web identity token (an OIDC JWT on
// AWS; any non-empty string here unless Options.VerifyToken says more) for
// temporary credentials of the role.
func assumeRoleWithWebIdentity(s *Server, req *request) (any, error) {
	roleARN, session, token := req.params.Get("RoleArn"), req.params.Get("RoleSessionName"), req.params.Get("WebIdentityToken")
	for _, p := range []struct{ name, value string }{{"roleArn", roleARN}, {"roleSessionName", session}, {"webIdentityToken", token}} {
		if p.value == "" {
			return nil, validation(fmt.Sprintf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", p.name))
		}
	}
	if err := awsauth.ValidRoleARN(roleARN); err != nil {
		return nil, validation("Request ARN is invalid: " + err.Error())
	}
	if !sessionNamePattern.MatchString(session) {
		return nil, validation(fmt.Sprintf("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: [\\w+=,.@-]{2,64}", session))
	}
	seconds := 3600
	if v := req.params.Get("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			return nil, validation(fmt.Sprintf("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: "+
				"Member must have value between 900 and 43200", v))
		}
		seconds = n
	}
	if s.opts.VerifyToken != nil {
		if err := s.opts.VerifyToken(token, roleARN); err != nil {
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidIdentityToken", Message: err.Error()}
		}
	}
	c := jwtClaims(token)
	creds := s.opts.Auth.Issue(roleARN, session, time.Duration(seconds)*time.Second)
	return &assumeRoleWithWebIdentityResponse{Xmlns: xmlns, Subject: c.Subject, Audience: c.audience(), Provider: c.Issuer, RequestID: req.id,
		AssumedRoleUser: assumedRoleUserXML{Arn: creds.Principal.ARN, AssumedRoleID: creds.Principal.UserID},
		Credentials: credentialsXML{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey,
			SessionToken: creds.SessionToken, Expiration: creds.Expiration.Format(time.RFC3339)}}, nil
}

// claims are the few JWT claims STS echoes back.
type claims struct {
	Subject  string          `json:"sub"`
	Issuer   string          `json:"iss"`
	Audience json.RawMessage `json:"aud"` // a string or a list of strings
}

func (c claims) audience() string {
	var one string
	if json.Unmarshal(c.Audience, &one) == nil {
		return one
	}
	var list []string
	if json.Unmarshal(c.Audience, &list) == nil && len(list) > 0 {
		return list[0]
	}
	return ""
}

// jwtClaims reads the payload of a JWT-shaped token without verifying it;
// the zero claims for anything else.
func jwtClaims(token string) claims {
	var c claims
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return c
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err == nil {
		_ = json.Unmarshal(payload, &c)
	}
	return c
}
