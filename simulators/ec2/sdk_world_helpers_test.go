package ec2_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// twoRegions is a world of us-east-1 (the default region) and eu-west-1,
// whose subnet has no IPv6 and whose quotas are small.
func twoRegions() world.World {
	w := world.Default()
	w.Regions = append(w.Regions, world.Region{
		Name: "eu-west-1", Zones: []string{"eu-west-1a", "eu-west-1b"},
		Images:        []world.Image{{ID: "ami-0e00000000000000a", Name: "eu-linux", RootDeviceName: "/dev/sda1", Architecture: "arm64"}},
		InstanceTypes: []world.InstanceType{{Name: "m6g.large", VCPUs: 2}, {Name: "m6g.xlarge", VCPUs: 4}},
		VPCs:          []world.VPC{{ID: "vpc-0e000000000000001", CIDR: "172.16.0.0/16", Tags: map[string]string{"Name": "eu"}}},
		Subnets: []world.Subnet{{ID: "subnet-0e000000000000001", VPC: "vpc-0e000000000000001", Zone: "eu-west-1b", CIDR: "172.16.0.0/28",
			Tags: map[string]string{"tier": "private"}}},
		SecurityGroups:   []world.SecurityGroup{{ID: "sg-0e000000000000001", Name: "nodes", VPC: "vpc-0e000000000000001"}},
		InstanceProfiles: []world.InstanceProfile{{Name: "eu-nodes"}},
		Quotas:           world.Quotas{VCPUs: 6, Instances: 2},
	})
	return w.WithDefaults()
}

// worldEnv is newEnv with a world and strict reference checks.
func worldEnv(t *testing.T, opts core.Options, w world.World) *env {
	t.Helper()
	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	opts.Clock = clk
	cloud := core.New(opts)
	srv := sim.NewServer(sim.Options{Cloud: cloud, World: &w, StrictReferences: true})
	t.Cleanup(srv.Close)
	return &env{srv: srv, cloud: cloud, clock: clk, client: newClient(srv, sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey)}
}

// inRegion is e's client signing for another region.
func inRegion(e *env, region string) func(*ec2.Options) {
	return func(o *ec2.Options) { o.Region = region }
}

// apiStatus is the HTTP status of an API error.
func apiStatus(t *testing.T, err error) int {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want an HTTP response error, got %v", err)
	}
	return re.HTTPStatusCode()
}

// apiMessage is the message of an API error.
func apiMessage(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ae.ErrorMessage()
}

func instanceIDs(out *ec2.DescribeInstancesOutput) []string {
	var ids []string
	for _, r := range out.Reservations {
		for _, i := range r.Instances {
			ids = append(ids, aws.ToString(i.InstanceId))
		}
	}
	return ids
}

var ctx = context.Background()
