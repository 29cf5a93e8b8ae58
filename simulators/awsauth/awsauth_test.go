package awsauth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// signed builds a request signed as the SDK signs it.
func signed(t *testing.T, creds aws.Credentials, service, region string, at time.Time) (*http.Request, []byte) {
	t.Helper()
	body := []byte("Action=DescribeInstances&Version=2016-11-15")
	r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		t.Fatal(err)
	}
	return r, body
}

func TestVerify(t *testing.T) {
	t.Parallel()
	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	store := awsauth.NewStore(awsauth.Options{Clock: clk})
	issued := store.Issue("arn:aws:iam::123456789012:role/nodes", "s1", time.Hour)
	expired := store.Issue("arn:aws:iam::123456789012:role/nodes", "s0", time.Minute)
	clk.Step(2 * time.Minute)
	user := aws.Credentials{AccessKeyID: world.DefaultAccessKeyID, SecretAccessKey: world.DefaultSecretAccessKey}
	temp := aws.Credentials{AccessKeyID: issued.AccessKeyID, SecretAccessKey: issued.SecretAccessKey, SessionToken: issued.SessionToken}
	serves := func(region string) bool { return region == "us-east-1" }
	tests := []struct {
		name    string
		creds   aws.Credentials
		service string
		region  string
		want    awsauth.Reason // 0: accepted
		wantARN string
	}{
		{"user key", user, "ec2", "us-east-1", 0, "arn:aws:iam::123456789012:user/simulator"},
		{"issued key", temp, "ec2", "us-east-1", 0, "arn:aws:sts::123456789012:assumed-role/nodes/s1"},
		{"wrong secret", aws.Credentials{AccessKeyID: user.AccessKeyID, SecretAccessKey: "x"}, "ec2", "us-east-1", awsauth.BadSignature, ""},
		{"unknown key", aws.Credentials{AccessKeyID: "AKIAUNKNOWN000000000", SecretAccessKey: "x"}, "ec2", "us-east-1", awsauth.UnknownKey, ""},
		{"issued key without token", aws.Credentials{AccessKeyID: temp.AccessKeyID, SecretAccessKey: temp.SecretAccessKey}, "ec2", "us-east-1", awsauth.BadToken, ""},
		{"expired key", aws.Credentials{AccessKeyID: expired.AccessKeyID, SecretAccessKey: expired.SecretAccessKey, SessionToken: expired.SessionToken}, "ec2", "us-east-1", awsauth.Expired, ""},
		{"other service", user, "s3", "us-east-1", awsauth.BadScope, ""},
		{"other region", user, "ec2", "eu-west-1", awsauth.BadScope, ""},
	}
	sg := awsauth.NewSigner()
	for _, tc := range tests {
		r, body := signed(t, tc.creds, tc.service, tc.region, clk.Now())
		got, err := sg.Verify(store, r, body, "ec2", serves)
		var ae *awsauth.Error
		switch {
		case tc.want == 0 && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want == 0 && (got.Principal.ARN != tc.wantARN || got.Region != tc.region):
			t.Errorf("%s: signed %+v", tc.name, got)
		case tc.want != 0 && (!errors.As(err, &ae) || ae.Reason != tc.want):
			t.Errorf("%s: got %v, want reason %d", tc.name, err, tc.want)
		}
	}
	unsigned, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", nil)
	var ae *awsauth.Error
	if _, err := sg.Verify(store, unsigned, nil, "ec2", serves); !errors.As(err, &ae) || ae.Reason != awsauth.Unsigned {
		t.Errorf("unsigned request: %v", err)
	}
}

func TestIssueIsReplayable(t *testing.T) {
	t.Parallel()
	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	a := awsauth.NewStore(awsauth.Options{Clock: clk, Seed: 7}).Issue("arn:aws:iam::123456789012:role/path/nodes", "s", time.Hour)
	b := awsauth.NewStore(awsauth.Options{Clock: clk, Seed: 7}).Issue("arn:aws:iam::123456789012:role/path/nodes", "s", time.Hour)
	if a != b {
		t.Errorf("same seed, different credentials:\n%+v\n%+v", a, b)
	}
	if len(a.AccessKeyID) != 20 || a.AccessKeyID[:4] != "ASIA" || len(a.SecretAccessKey) != 40 || a.Expiration != clk.Now().Add(time.Hour) {
		t.Errorf("credentials %+v", a)
	}
	if a.Principal.ARN != "arn:aws:sts::123456789012:assumed-role/nodes/s" {
		t.Errorf("principal %+v", a.Principal)
	}
}

func TestValidRoleARN(t *testing.T) {
	t.Parallel()
	for arn, ok := range map[string]bool{
		"arn:aws:iam::123456789012:role/nodes":      true,
		"arn:aws:iam::123456789012:role/path/nodes": true,
		"arn:aws:iam::12345:role/nodes":             false,
		"arn:aws:iam::123456789012:user/nodes":      false,
		"arn:aws:iam::123456789012:role/":           false,
		"nodes":                                     false,
	} {
		if err := awsauth.ValidRoleARN(arn); (err == nil) != ok {
			t.Errorf("ValidRoleARN(%q) = %v", arn, err)
		}
	}
}
