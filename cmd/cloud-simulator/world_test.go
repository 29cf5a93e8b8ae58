package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

const twoRegionWorld = `accountID: "210987654321"
credentials:
  - {accessKeyID: AKIAFROMWORLDFILE001, secretAccessKey: world-file-secret, user: ci}
regions:
  - name: eu-west-1
    zones: [eu-west-1a]
    images:
      - {id: ami-22222222, name: linux, rootDeviceName: /dev/xvda, architecture: x86_64}
    instanceTypes:
      - {name: m5.large, vcpus: 2}
    vpcs:
      - {id: vpc-22222222, cidr: 10.2.0.0/16}
    subnets:
      - {id: subnet-22222222, vpc: vpc-22222222, zone: eu-west-1a, cidr: 10.2.0.0/20}
  - name: us-west-2
    zones: [us-west-2a]
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBadWorldFile: an invalid --world fails before serving with file:line
// errors, and the command would exit 2.
func TestBadWorldFile(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "world.yaml", strings.Replace(twoRegionWorld, "vpc: vpc-22222222", "vpc: vpc-99999999", 1))
	err := run(context.Background(), []string{"--world", path}, io.Discard)
	var usage *usageError
	if !errors.As(err, &usage) {
		t.Fatalf("want a usage error (exit 2), got %v", err)
	}
	want := path + `:14: subnet "subnet-22222222" names VPC "vpc-99999999" that does not exist`
	var stderr bytes.Buffer
	if code := report(err, &stderr); code != 2 || stderr.String() != want+"\n" {
		t.Errorf("exit %d, printed:\n%s\nwant exit 2 and:\n%s", code, stderr.String(), want)
	}
	if err := run(context.Background(), []string{"--world", filepath.Join(t.TempDir(), "missing.yaml")}, io.Discard); !errors.As(err, &usage) {
		t.Errorf("a missing world file: %v", err)
	}
	if err := run(context.Background(), []string{"--no-such-flag"}, io.Discard); !errors.As(err, &usage) {
		t.Errorf("a bad flag: %v", err)
	}
	err = run(context.Background(), []string{"--region=mars"}, io.Discard)
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), `region name "mars" is not a region name like us-east-1`) {
		t.Errorf("a bad --region: %v", err)
	}
}

// TestServesTheWorldFile: the printed environment reaches the world of the
// file, in its second region too, and STS answers with its keys.
func TestServesTheWorldFile(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	path := writeFile(t, "world.yaml", twoRegionWorld)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--world", path}, pw); pw.Close() }()
	env, comments := map[string]string{}, ""
	sc := bufio.NewScanner(pr)
	for len(env) < 6 && sc.Scan() {
		if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		} else {
			comments += sc.Text() + "\n"
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if env["AWS_REGION"] != "eu-west-1" || env["AWS_ACCESS_KEY_ID"] != "AKIAFROMWORLDFILE001" || env["AWS_ENDPOINT_URL_STS"] == "" {
		t.Fatalf("environment %v", env)
	}
	if !strings.Contains(comments, "# world: "+path) || !strings.Contains(comments, "us-west-2: zones us-west-2a;") {
		t.Errorf("banner:\n%s", comments)
	}
	creds := credentials.NewStaticCredentialsProvider(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], "")
	client := ec2.New(ec2.Options{Region: env["AWS_REGION"], BaseEndpoint: aws.String(env["AWS_ENDPOINT_URL_EC2"]), Credentials: creds})
	subnets, err := client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	if err != nil || len(subnets.Subnets) != 1 || aws.ToString(subnets.Subnets[0].SubnetId) != "subnet-22222222" {
		t.Fatalf("subnets of eu-west-1: %+v, %v", subnets, err)
	}
	if _, err := client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-22222222"), InstanceType: "m5.large",
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String("subnet-0000000f")}); err == nil || !strings.Contains(err.Error(), "InvalidSubnetID.NotFound") {
		t.Errorf("the command checks references strictly: %v", err)
	}
	zones, err := client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}, func(o *ec2.Options) { o.Region = "us-west-2" })
	if err != nil || len(zones.AvailabilityZones) != 1 || aws.ToString(zones.AvailabilityZones[0].ZoneName) != "us-west-2a" {
		t.Errorf("zones of us-west-2: %+v, %v", zones, err)
	}
	who, err := sts.New(sts.Options{Region: env["AWS_REGION"], BaseEndpoint: aws.String(env["AWS_ENDPOINT_URL_STS"]), Credentials: creds}).
		GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(who.Arn) != "arn:aws:iam::210987654321:user/ci" {
		t.Errorf("GetCallerIdentity: %+v, %v", who, err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the simulator did not stop")
	}
}

// TestPrintWorld: --print-world prints YAML that loads back as the world.
func TestPrintWorld(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want world.World
	}{
		{"built in", nil, world.Default()},
		{"from a file", []string{"--world", writeFile(t, "w.yaml", twoRegionWorld)}, mustLoad(t, twoRegionWorld)},
	} {
		var out bytes.Buffer
		if err := run(context.Background(), append(tc.args, "--print-world"), &out); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := world.Load("printed", out.Bytes())
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: printed world %v does not load back as it was:\n%s", tc.name, err, out.String())
		}
	}
}

func mustLoad(t *testing.T, y string) world.World {
	t.Helper()
	w, err := world.Load("w.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return w
}
