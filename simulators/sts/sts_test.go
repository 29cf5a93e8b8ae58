package sts_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	simsts "github.com/machine-conformance/machine-conformance/simulators/sts"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

var ctx = context.Background()

const role = "arn:aws:iam::123456789012:role/nodes"

// env is an STS simulator on a fake clock, its credential store and core.
type env struct {
	srv   *simsts.Server
	store *awsauth.Store
	cloud *core.Cloud
	clock *clocktesting.FakeClock
}

func newEnv(t *testing.T, verify func(token, role string) error) *env {
	t.Helper()
	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	cloud := core.New(core.Options{Clock: clk})
	store := awsauth.NewStore(awsauth.Options{Clock: clk})
	srv := simsts.NewServer(simsts.Options{Auth: store, Cloud: cloud, Regions: []string{"eu-west-1"}, VerifyToken: verify})
	t.Cleanup(srv.Close)
	return &env{srv: srv, store: store, cloud: cloud, clock: clk}
}

// client is an unmodified STS client with creds (nil: anonymous).
func (e *env) client(creds aws.CredentialsProvider) *sts.Client {
	return sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(e.srv.URL), Credentials: creds, RetryMaxAttempts: 1})
}

// jwt builds an unsigned JWT-shaped token with the given payload.
func jwt(payload string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func code(t *testing.T, err error) (string, int) {
	t.Helper()
	var ae smithy.APIError
	var re *awshttp.ResponseError
	if !errors.As(err, &ae) || !errors.As(err, &re) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ae.ErrorCode(), re.HTTPStatusCode()
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	out, err := e.client(nil).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(role),
		RoleSessionName: aws.String("machine-1"), WebIdentityToken: aws.String(jwt(`{"sub":"system:serviceaccount:kube-system:mcm","iss":"https://oidc.example","aud":["sts.amazonaws.com"]}`)),
		DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if len(aws.ToString(c.AccessKeyId)) != 20 || aws.ToString(c.AccessKeyId)[:4] != "ASIA" || aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" {
		t.Errorf("credentials %+v", c)
	}
	if !aws.ToTime(c.Expiration).Equal(e.clock.Now().Add(15 * time.Minute)) {
		t.Errorf("expiration %s, want 15 minutes after %s", aws.ToTime(c.Expiration), e.clock.Now())
	}
	if aws.ToString(out.AssumedRoleUser.Arn) != "arn:aws:sts::123456789012:assumed-role/nodes/machine-1" ||
		aws.ToString(out.SubjectFromWebIdentityToken) != "system:serviceaccount:kube-system:mcm" ||
		aws.ToString(out.Provider) != "https://oidc.example" || aws.ToString(out.Audience) != "sts.amazonaws.com" {
		t.Errorf("answer %+v, user %+v", out, out.AssumedRoleUser)
	}
}

// TestAssumeRoleValidation: what the SDK lets through (empty strings, bad
// values) the simulator refuses as STS does.
func TestAssumeRoleValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(token, _ string) error {
		if token == "revoked" {
			return errors.New("the token was revoked")
		}
		return nil
	})
	tests := []struct {
		name                  string
		roleARN, session, tok string
		duration              int32
		want                  string
	}{
		{"no role", "", "s1", "t", 0, "ValidationError"},
		{"no session name", role, "", "t", 0, "ValidationError"},
		{"no token", role, "s1", "", 0, "ValidationError"},
		{"not a role ARN", "arn:aws:iam::123456789012:user/nodes", "s1", "t", 0, "ValidationError"},
		{"session name with a space", role, "my session", "t", 0, "ValidationError"},
		{"duration too short", role, "s1", "t", 60, "ValidationError"},
		{"token refused", role, "s1", "revoked", 0, "InvalidIdentityToken"},
	}
	for _, tc := range tests {
		in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(tc.roleARN), RoleSessionName: aws.String(tc.session), WebIdentityToken: aws.String(tc.tok)}
		if tc.duration != 0 {
			in.DurationSeconds = aws.Int32(tc.duration)
		}
		_, err := e.client(nil).AssumeRoleWithWebIdentity(ctx, in)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if got, status := code(t, err); got != tc.want || status != http.StatusBadRequest {
			t.Errorf("%s: %s (%d), want %s (400)", tc.name, got, status, tc.want)
		}
	}
}

func TestGetCallerIdentity(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	static := func(key, secret, token string) aws.CredentialsProvider {
		return credentials.NewStaticCredentialsProvider(key, secret, token)
	}
	out, err := e.client(static(world.DefaultAccessKeyID, world.DefaultSecretAccessKey, "")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:user/simulator" || aws.ToString(out.Account) != "123456789012" {
		t.Fatalf("as the account's user: %+v, %v", out, err)
	}
	issued := e.store.Issue(role, "s1", time.Hour)
	out, err = e.client(static(issued.AccessKeyID, issued.SecretAccessKey, issued.SessionToken)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Arn) != "arn:aws:sts::123456789012:assumed-role/nodes/s1" || aws.ToString(out.UserId) != issued.Principal.UserID {
		t.Fatalf("as the assumed role: %+v, %v", out, err)
	}
	e.clock.Step(time.Hour)
	tests := []struct {
		name  string
		creds aws.CredentialsProvider
		want  string
	}{
		{"expired", static(issued.AccessKeyID, issued.SecretAccessKey, issued.SessionToken), "ExpiredToken"},
		{"unknown key", static("AKIAUNKNOWN000000000", "x", ""), "InvalidClientTokenId"},
		{"wrong secret", static(world.DefaultAccessKeyID, "wrong", ""), "SignatureDoesNotMatch"},
		{"unsigned", aws.AnonymousCredentials{}, "MissingAuthenticationToken"},
	}
	for _, tc := range tests {
		_, err := e.client(tc.creds).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if got, status := code(t, err); got != tc.want || status != http.StatusForbidden {
			t.Errorf("%s: %s (%d), want %s (403)", tc.name, got, status, tc.want)
		}
	}
	_, err = sts.New(sts.Options{Region: "ap-south-1", BaseEndpoint: aws.String(e.srv.URL), RetryMaxAttempts: 1,
		Credentials: static(world.DefaultAccessKeyID, world.DefaultSecretAccessKey, "")}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if got, _ := code(t, err); got != "SignatureDoesNotMatch" {
		t.Errorf("a region not served: %v", err)
	}
}

// TestUnimplementedAndFaults: an action STS has but the simulator does not
// fails loudly; a fault rule for an STS action fires through the SDK.
func TestUnimplementedAndFaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	creds := credentials.NewStaticCredentialsProvider(world.DefaultAccessKeyID, world.DefaultSecretAccessKey, "")
	_, err := e.client(creds).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if got, status := code(t, err); got != "InvalidAction" || status != http.StatusBadRequest {
		t.Errorf("GetSessionToken: %v", err)
	}
	e.cloud.AddFault(core.FaultRule{Name: "sts down", Operation: "AssumeRoleWithWebIdentity", Match: map[string]string{"Service": "sts"},
		Error: &core.FaultError{Code: "IDPCommunicationError", Status: http.StatusBadRequest}})
	_, err = e.client(nil).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: aws.String(role),
		RoleSessionName: aws.String("s1"), WebIdentityToken: aws.String("t")})
	if got, _ := code(t, err); got != "IDPCommunicationError" {
		t.Errorf("the fault did not fire: %v", err)
	}
	logged := map[string]string{}
	for _, ev := range e.cloud.Events() {
		if ev.Kind == core.KindCall {
			logged[ev.Operation] = ev.Code
		}
	}
	if logged["GetSessionToken"] != "InvalidAction" || logged["AssumeRoleWithWebIdentity"] != "IDPCommunicationError" {
		t.Errorf("event log %v", logged)
	}
}
