package ec2_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// TestRunInstancesRefusesUnknownReferences: with StrictReferences, what the
// world lacks is refused with EC2's code, status 400 and message.
func TestRunInstancesRefusesUnknownReferences(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, world.Default())
	ni := func(subnet string, groups ...string) []types.InstanceNetworkInterfaceSpecification {
		return []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: aws.String(subnet), Groups: groups}}
	}
	tests := []struct {
		name    string
		in      ec2.RunInstancesInput
		code    string
		message string
	}{
		{"malformed AMI", ec2.RunInstancesInput{ImageId: aws.String("ami-nope")}, "InvalidAMIID.Malformed", `Invalid id: "ami-nope" (expecting "ami-...")`},
		{"unknown AMI", ec2.RunInstancesInput{ImageId: aws.String("ami-0000000000000000f")}, "InvalidAMIID.NotFound", "The image id '[ami-0000000000000000f]' does not exist"},
		{"malformed subnet", ec2.RunInstancesInput{SubnetId: aws.String("subnet-1")}, "InvalidSubnetID.Malformed", "The subnet ID 'subnet-1' is malformed"},
		{"unknown subnet", ec2.RunInstancesInput{NetworkInterfaces: ni("subnet-0000000f")}, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-0000000f' does not exist"},
		{"malformed group", ec2.RunInstancesInput{NetworkInterfaces: ni("subnet-0a1b2c3d", "sg-1")}, "InvalidGroupId.Malformed", `Invalid id: "sg-1" (expecting "sg-...")`},
		{"unknown group", ec2.RunInstancesInput{SecurityGroupIds: []string{"sg-0000000f"}}, "InvalidGroup.NotFound", "The security group 'sg-0000000f' does not exist"},
		{"unknown key pair", ec2.RunInstancesInput{KeyName: aws.String("dev")}, "InvalidKeyPair.NotFound", "The key pair 'dev' does not exist"},
		{"unknown profile name", ec2.RunInstancesInput{IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("admins")}},
			"InvalidParameterValue", "Value (admins) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"},
		{"unknown profile ARN", ec2.RunInstancesInput{IamInstanceProfile: &types.IamInstanceProfileSpecification{Arn: aws.String("arn:aws:iam::123456789012:instance-profile/x")}},
			"InvalidParameterValue", "Value (arn:aws:iam::123456789012:instance-profile/x) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN"},
		{"zone other than the subnet's", ec2.RunInstancesInput{SubnetId: aws.String("subnet-0a1b2c3d"), Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1b")}},
			"InvalidParameterValue", "Subnet 'subnet-0a1b2c3d' is in the availability zone us-east-1a"},
		{"explicit address for two", ec2.RunInstancesInput{PrivateIpAddress: aws.String("10.0.0.9"), MinCount: aws.Int32(1), MaxCount: aws.Int32(2)},
			"InvalidParameterCombination", "only when launching one instance"},
	}
	for _, tc := range tests {
		in := tc.in
		if in.ImageId == nil {
			in.ImageId = aws.String(sim.DefaultImage.ID)
		}
		in.InstanceType = types.InstanceTypeM5Large
		if in.MinCount == nil {
			in.MinCount, in.MaxCount = aws.Int32(1), aws.Int32(1)
		}
		_, err := e.client.RunInstances(ctx, &in)
		if err == nil {
			t.Errorf("%s: launched", tc.name)
			continue
		}
		if code, status, msg := apiCode(t, err), apiStatus(t, err), apiMessage(t, err); code != tc.code || status != http.StatusBadRequest || !strings.Contains(msg, tc.message) {
			t.Errorf("%s: %s (%d) %q; want %s (400) containing %q", tc.name, code, status, msg, tc.code, tc.message)
		}
	}
	if n := len(e.cloud.Live()); n != 0 {
		t.Errorf("refused launches left %d instances", n)
	}
	inst := run(t, e, &ec2.RunInstancesInput{KeyName: aws.String("ops"), SecurityGroupIds: []string{"sg-0a1b2c3d"},
		SubnetId: aws.String("subnet-0a1b2c3e"), IamInstanceProfile: &types.IamInstanceProfileSpecification{Name: aws.String("nodes")}})
	if aws.ToString(inst.Placement.AvailabilityZone) != "us-east-1b" || aws.ToString(inst.VpcId) != "vpc-0a1b2c3d" ||
		aws.ToString(inst.IamInstanceProfile.Arn) != "arn:aws:iam::123456789012:instance-profile/nodes" || aws.ToString(inst.PrivateIpAddress) != "10.0.64.4" {
		t.Errorf("a launch of known references: zone %s, VPC %s, profile %s, address %s", aws.ToString(inst.Placement.AvailabilityZone),
			aws.ToString(inst.VpcId), aws.ToString(inst.IamInstanceProfile.Arn), aws.ToString(inst.PrivateIpAddress))
	}
}

// TestLenientByDefault: without StrictReferences, references the world
// lacks are recorded as given, as callers written before the world expect.
func TestLenientByDefault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{})
	inst := run(t, e, &ec2.RunInstancesInput{SubnetId: aws.String("subnet-1"), SecurityGroupIds: []string{"sg-1"}, KeyName: aws.String("dev")})
	if aws.ToString(inst.SubnetId) != "subnet-1" || aws.ToString(inst.KeyName) != "dev" || aws.ToString(inst.SecurityGroups[0].GroupId) != "sg-1" {
		t.Errorf("launch %+v", inst)
	}
	_, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-nope"), InstanceType: types.InstanceTypeM5Large,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if apiCode(t, err) != "InvalidAMIID.NotFound" {
		t.Errorf("an unknown image without strict checks: %v", err)
	}
}

// TestRegionalQuota: the world's per-region quotas bound launches and
// starts; MinCount below MaxCount launches what fits.
func TestRegionalQuota(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, twoRegions()) // eu-west-1: 6 vCPUs, 2 instances
	eu := inRegion(e, "eu-west-1")
	launch := func(typ types.InstanceType, minCount, maxCount int32) (*ec2.RunInstancesOutput, error) {
		return e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0e00000000000000a"), InstanceType: typ,
			MinCount: aws.Int32(minCount), MaxCount: aws.Int32(maxCount)}, eu)
	}
	if _, err := launch("m6g.xlarge", 2, 2); apiCode(t, err) != "VcpuLimitExceeded" {
		t.Fatalf("8 vCPUs under a limit of 6: %v", err)
	}
	out, err := launch("m6g.xlarge", 1, 2)
	if err != nil || len(out.Instances) != 1 {
		t.Fatalf("MinCount 1 MaxCount 2 with room for one: %v", err)
	}
	if _, err := launch("m6g.large", 1, 1); err != nil {
		t.Fatalf("a second instance within both limits: %v", err)
	}
	if _, err := launch("m6g.large", 1, 1); apiCode(t, err) != "InstanceLimitExceeded" {
		t.Fatalf("a third instance under a limit of 2: %v", err)
	}
	id := aws.ToString(out.Instances[0].InstanceId)
	if _, err := e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}, eu); err != nil {
		t.Fatal(err)
	}
	if _, err := launch("m6g.large", 1, 1); err != nil {
		t.Fatalf("a stopped instance still uses the quota: %v", err)
	}
	_, err = e.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}, eu)
	if apiCode(t, err) != "InstanceLimitExceeded" {
		t.Fatalf("a start over the quota: %v", err)
	}
	run(t, e, &ec2.RunInstancesInput{MinCount: aws.Int32(3), MaxCount: aws.Int32(3)}) // us-east-1 has no quota
}

// TestQuotaRetryReplays: a launch the quota cut to MinCount, whose answer
// was lost, is replayed by the SDK's retry, not refused as a mismatch.
func TestQuotaRetryReplays(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{Faults: []core.FaultRule{{Name: "lost answer", Operation: "RunInstances", Count: 1, CommitThenFail: true,
		Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}}}}, twoRegions())
	out, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0e00000000000000a"), InstanceType: "m6g.xlarge",
		MinCount: aws.Int32(1), MaxCount: aws.Int32(2)}, inRegion(e, "eu-west-1")) // room for one under 6 vCPUs
	if err != nil {
		t.Fatalf("the retried launch: %v", err)
	}
	if len(out.Instances) != 1 || len(e.cloud.Live()) != 1 {
		t.Errorf("%d instances answered, %d live; want 1 and 1", len(out.Instances), len(e.cloud.Live()))
	}
}
