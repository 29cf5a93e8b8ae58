package sts_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	simec2 "github.com/machine-conformance/machine-conformance/simulators/ec2"
)

type tokenFile string

func (t tokenFile) GetIdentityToken() ([]byte, error) { return []byte(t), nil }

// TestEC2AcceptsIssuedCredentials: the SDK's web identity provider gets
// credentials from the STS simulator, and the EC2 simulator sharing its
// store accepts them, until they expire.
func TestEC2AcceptsIssuedCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ec2srv := simec2.NewServer(simec2.Options{Cloud: e.cloud, Auth: e.store})
	t.Cleanup(ec2srv.Close)
	provider := stscreds.NewWebIdentityRoleProvider(e.client(nil), role, tokenFile("service-account-token"),
		func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = "mcm" })
	creds, err := provider.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := func(p aws.CredentialsProvider) *ec2.Client {
		return ec2.New(ec2.Options{Region: ec2srv.Region(), BaseEndpoint: aws.String(ec2srv.URL), Credentials: p, RetryMaxAttempts: 1})
	}
	if _, err := client(provider).DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
		t.Fatalf("EC2 refused credentials STS issued: %v", err)
	}
	withoutToken := credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, "")
	if got, _ := code(t, describeErr(client(withoutToken))); got != "AuthFailure" {
		t.Errorf("the issued key without its session token: %s", got)
	}
	e.clock.Step(time.Hour)
	expired := credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
	if got, _ := code(t, describeErr(client(expired))); got != "RequestExpired" {
		t.Errorf("expired credentials: %s", got)
	}
	logged := map[string]bool{}
	for _, ev := range e.cloud.Events() {
		logged[ev.Operation] = logged[ev.Operation] || ev.Kind == core.KindCall && ev.Code == ""
	}
	if !logged["AssumeRoleWithWebIdentity"] || !logged["DescribeInstances"] {
		t.Errorf("STS and EC2 calls are not both in the shared log: %v", logged)
	}
}

func describeErr(c *ec2.Client) error {
	_, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	return err
}
