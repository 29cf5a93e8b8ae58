package ec2_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
)

// env is a simulator and an unmodified SDK client pointed at it.
type env struct {
	srv    *sim.Server
	cloud  *core.Cloud
	clock  *clocktesting.FakeClock
	client *ec2.Client
}

func newEnv(t *testing.T, opts core.Options) *env {
	t.Helper()
	clk := clocktesting.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	opts.Clock = clk
	cloud := core.New(opts)
	srv := sim.NewServer(sim.Options{Cloud: cloud})
	t.Cleanup(srv.Close)
	return &env{srv: srv, cloud: cloud, clock: clk, client: newClient(srv, sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey)}
}

func newClient(srv *sim.Server, key, secret string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:       srv.Region(),
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(key, secret, ""),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = noRateLimit{}
		}),
	})
}

type noRateLimit struct{}

func (noRateLimit) GetToken(context.Context, uint) (func() error, error) {
	return func() error { return nil }, nil
}
func (noRateLimit) AddTokens(uint) error { return nil }

func apiCode(t *testing.T, err error) string {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ae.ErrorCode()
}

func run(t *testing.T, e *env, in *ec2.RunInstancesInput) types.Instance {
	t.Helper()
	if in.ImageId == nil {
		in.ImageId = aws.String(sim.DefaultImage.ID)
	}
	if in.InstanceType == "" {
		in.InstanceType = types.InstanceTypeM5Large
	}
	if in.MinCount == nil {
		in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
	}
	out, err := e.client.RunInstances(context.Background(), in)
	if err != nil {
		t.Fatalf("RunInstances: %v", err)
	}
	return out.Instances[0]
}

func describe(t *testing.T, e *env, id string) types.Instance {
	t.Helper()
	out, err := e.client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatalf("DescribeInstances %s: %v", id, err)
	}
	return out.Reservations[0].Instances[0]
}

func clusterTags(cluster, name string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: []types.Tag{
		{Key: aws.String("kubernetes.io/cluster/" + cluster), Value: aws.String("1")},
		{Key: aws.String("kubernetes.io/role/node"), Value: aws.String("1")},
		{Key: aws.String("Name"), Value: aws.String(name)},
	}}, {ResourceType: types.ResourceTypeVolume, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

func TestRunDescribeTerminateLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Progression: core.Progression{PendingFor: 30 * time.Second, ShuttingDownFor: 10 * time.Second}})
	inst := run(t, e, &ec2.RunInstancesInput{
		TagSpecifications:  clusterTags("shoot-a", "m1"),
		IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("nodes")},
		UserData:           aws.String("IyEvYmluL3NoCg=="),
		Placement:          &types.Placement{AvailabilityZone: aws.String("us-east-1b")},
		BlockDeviceMappings: []types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"),
			Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(50), DeleteOnTermination: aws.Bool(true)}}},
		NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0),
			SubnetId: aws.String("subnet-0abc"), Groups: []string{"sg-1"}}},
	})
	if inst.State.Name != types.InstanceStateNamePending || *inst.State.Code != 0 {
		t.Fatalf("new instance state %+v", inst.State)
	}
	if *inst.Placement.AvailabilityZone != "us-east-1b" || *inst.SubnetId != "subnet-0abc" || inst.IamInstanceProfile == nil {
		t.Errorf("launch parameters lost: %+v", inst)
	}
	if inst.PrivateDnsName == nil || *inst.PrivateDnsName != "ip-10-0-0-4.ec2.internal" {
		t.Errorf("private DNS name %v", aws.ToString(inst.PrivateDnsName))
	}
	if len(inst.BlockDeviceMappings) != 1 || *inst.RootDeviceName != "/dev/xvda" {
		t.Errorf("block devices %+v root %v", inst.BlockDeviceMappings, aws.ToString(inst.RootDeviceName))
	}
	if owner, _ := e.cloud.Owner(*inst.InstanceId); owner.Cluster != "shoot-a" || owner.Machine != "m1" {
		t.Errorf("oracle owner %+v", owner)
	}

	e.clock.Step(30 * time.Second)
	if got := describe(t, e, *inst.InstanceId); got.State.Name != types.InstanceStateNameRunning || *got.State.Code != 16 {
		t.Fatalf("after 30 s: %+v", got.State)
	}
	out, err := e.client.TerminateInstances(context.Background(), &ec2.TerminateInstancesInput{InstanceIds: []string{*inst.InstanceId}})
	if err != nil {
		t.Fatal(err)
	}
	if c := out.TerminatingInstances[0]; c.PreviousState.Name != types.InstanceStateNameRunning || c.CurrentState.Name != types.InstanceStateNameShuttingDown {
		t.Fatalf("terminate states %+v → %+v", c.PreviousState, c.CurrentState)
	}
	e.clock.Step(10 * time.Second)
	if got := describe(t, e, *inst.InstanceId); got.State.Name != types.InstanceStateNameTerminated {
		t.Fatalf("after shutdown: %+v", got.State)
	}
}

func TestErrorsMapToEC2Codes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{Quota: core.Quota{MaxInstances: 2, MaxVCPUs: 6}})
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"unknown instance", func() error {
			_, err := e.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
			return err
		}, "InvalidInstanceID.NotFound"},
		{"malformed instance", func() error {
			_, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"vm-1"}})
			return err
		}, "InvalidInstanceID.Malformed"},
		{"unknown image", func() error {
			_, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-nope"), InstanceType: types.InstanceTypeM5Large, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "InvalidAMIID.NotFound"},
		{"unknown instance type", func() error {
			_, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(sim.DefaultImage.ID), InstanceType: "x9.giant", MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "InvalidParameterValue"},
		{"unknown filter", func() error {
			_, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("color"), Values: []string{"red"}}}})
			return err
		}, "InvalidParameterValue"},
		{"vCPU quota", func() error {
			_, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(sim.DefaultImage.ID), InstanceType: types.InstanceTypeM52xlarge, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "VcpuLimitExceeded"},
		{"instance quota", func() error {
			_, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(sim.DefaultImage.ID), InstanceType: types.InstanceTypeT3Micro, MinCount: aws.Int32(3), MaxCount: aws.Int32(3)})
			return err
		}, "InstanceLimitExceeded"},
		{"unimplemented action", func() error {
			_, err := e.client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
			return err
		}, "InvalidAction"},
	}
	for _, tc := range tests {
		if got := apiCode(t, tc.call()); got != tc.code {
			t.Errorf("%s: code %s, want %s", tc.name, got, tc.code)
		}
	}
	found := false
	for _, ev := range e.cloud.Events() {
		found = found || (ev.Operation == "RebootInstances" && ev.Code == "InvalidAction")
	}
	if !found {
		t.Error("the unimplemented action was not recorded in the event log")
	}
}

func TestSignatureIsVerified(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{})
	for _, tc := range []struct{ name, key, secret string }{
		{"wrong secret", sim.DefaultAccessKeyID, "not-the-secret"},
		{"unknown key", "AKIAUNKNOWN000000000", sim.DefaultSecretAccessKey},
	} {
		c := newClient(e.srv, tc.key, tc.secret)
		_, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{})
		if got := apiCode(t, err); got != "AuthFailure" {
			t.Errorf("%s: code %s, want AuthFailure", tc.name, got)
		}
	}
	if _, err := e.client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}); err != nil {
		t.Fatalf("the right credentials were refused: %v", err)
	}
}
