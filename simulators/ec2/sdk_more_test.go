package ec2_test

import (
	"context"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
)

func TestFiltersAndPaging(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{})
	var ours []string
	for i := 0; i < 12; i++ {
		inst := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "m")})
		ours = append(ours, *inst.InstanceId)
	}
	foreign := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("b", "x")})
	terminated := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "gone")})
	if _, err := e.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*terminated.InstanceId}}); err != nil {
		t.Fatal(err)
	}

	in := &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5), Filters: []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{"kubernetes.io/cluster/a"}},
		{Name: aws.String("instance-state-name"), Values: []string{"pending", "running"}},
	}}
	var got []string
	pages := 0
	for p := ec2.NewDescribeInstancesPaginator(e.client, in); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				got = append(got, *i.InstanceId)
			}
		}
	}
	sort.Strings(ours)
	sort.Strings(got)
	if pages != 3 || len(got) != 12 {
		t.Fatalf("%d pages, %d instances; want 3 pages of 12 (foreign %s and terminated %s excluded)", pages, len(got), *foreign.InstanceId, *terminated.InstanceId)
	}
	for i := range got {
		if got[i] != ours[i] {
			t.Fatalf("paged result %v, want %v", got, ours)
		}
	}

	tests := []struct {
		name   string
		filter types.Filter
		want   int
	}{
		{"tag value", types.Filter{Name: aws.String("tag:Name"), Values: []string{"x"}}, 1},
		{"tag wildcard", types.Filter{Name: aws.String("tag:kubernetes.io/cluster/b"), Values: []string{"*"}}, 1},
		{"terminated", types.Filter{Name: aws.String("instance-state-name"), Values: []string{"terminated", "shutting-down"}}, 1},
		{"instance id", types.Filter{Name: aws.String("instance-id"), Values: []string{*foreign.InstanceId}}, 1},
		{"no match", types.Filter{Name: aws.String("availability-zone"), Values: []string{"eu-west-1a"}}, 0},
	}
	for _, tc := range tests {
		out, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{tc.filter}})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n := 0
		for _, r := range out.Reservations {
			n += len(r.Instances)
		}
		if n != tc.want {
			t.Errorf("%s: %d instances, want %d", tc.name, n, tc.want)
		}
	}
	if _, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ours[:1], MaxResults: aws.Int32(5)}); apiCode(t, err) != "InvalidParameterCombination" {
		t.Errorf("MaxResults with InstanceIds accepted")
	}
}

// TestCommitThenFailRetryCreatesNoDuplicate: the first RunInstances answer
// is lost after the launch happened; the SDK retries with the same client
// token and must get the same instance back.
func TestCommitThenFailRetryCreatesNoDuplicate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "lost answer", Operation: "RunInstances", Count: 1,
		CommitThenFail: true, Error: &core.FaultError{Code: "InternalError", Status: http.StatusInternalServerError}}}})
	inst := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "m1")})
	if n := len(e.cloud.Live()); n != 1 {
		t.Fatalf("%d live VMs after a retried launch, want 1 (client token %v)", n, aws.ToString(inst.ClientToken))
	}
	faults := 0
	for _, ev := range e.cloud.Events() {
		if ev.Kind == core.KindFault {
			faults++
		}
	}
	if faults != 1 {
		t.Errorf("%d faults fired, want 1", faults)
	}
}

func TestThrottlingIsRetriedBySDK(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "throttle", Operation: "DescribeInstances", Count: 2,
		Error: &core.FaultError{Code: "RequestLimitExceeded", Status: http.StatusServiceUnavailable}}}})
	if _, err := e.client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}); err != nil {
		t.Fatalf("two throttles within the SDK's three attempts must succeed: %v", err)
	}
	e.cloud.AddFault(core.FaultRule{Name: "always", Operation: "DescribeInstances",
		Error: &core.FaultError{Code: "RequestLimitExceeded", Status: http.StatusServiceUnavailable}})
	_, err := e.client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{})
	if apiCode(t, err) != "RequestLimitExceeded" {
		t.Fatalf("persistent throttling: %v", err)
	}
}

func TestCapacityFaultMatchesOnInstanceType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "no m5", Operation: "RunInstances",
		Match: map[string]string{"InstanceType": "m5.xlarge"},
		Error: &core.FaultError{Code: "InsufficientInstanceCapacity", Status: http.StatusInternalServerError}}}})
	_, err := e.client.RunInstances(context.Background(), &ec2.RunInstancesInput{ImageId: aws.String(sim.DefaultImage.ID),
		InstanceType: types.InstanceTypeM5Xlarge, MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if apiCode(t, err) != "InsufficientInstanceCapacity" {
		t.Fatalf("got %v", err)
	}
	if n := len(e.cloud.Live()); n != 0 {
		t.Fatalf("a failed launch left %d VMs", n)
	}
	run(t, e, &ec2.RunInstancesInput{InstanceType: types.InstanceTypeT3Small})
}

func TestLatencyOnTheInjectedClock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Faults: []core.FaultRule{{Name: "slow", Operation: "DescribeImages", Latency: 2 * time.Minute}}})
	before := e.clock.Now()
	out, err := e.client.DescribeImages(context.Background(), &ec2.DescribeImagesInput{ImageIds: []string{sim.DefaultImage.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if d := e.clock.Now().Sub(before); d != 2*time.Minute {
		t.Errorf("clock advanced %s, want 2m", d)
	}
	if *out.Images[0].RootDeviceName != sim.DefaultImage.RootDeviceName {
		t.Errorf("root device %s", *out.Images[0].RootDeviceName)
	}
}

func TestEventualConsistency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{ReadLag: 5 * time.Second})
	inst := run(t, e, &ec2.RunInstancesInput{})
	_, err := e.client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{*inst.InstanceId}})
	if apiCode(t, err) != "InvalidInstanceID.NotFound" {
		t.Fatalf("a fresh instance was visible under ReadLag: %v", err)
	}
	e.clock.Step(5 * time.Second)
	describe(t, e, *inst.InstanceId)
}

func TestCreateAndDeleteTags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{})
	inst := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "m1")})
	vol := inst.BlockDeviceMappings[0].Ebs.VolumeId
	if _, err := e.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{*inst.InstanceId, *vol},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("x")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{*inst.InstanceId},
		Tags: []types.Tag{{Key: aws.String("Name")}}}); err != nil {
		t.Fatal(err)
	}
	tags := map[string]string{}
	for _, tag := range describe(t, e, *inst.InstanceId).Tags {
		tags[*tag.Key] = *tag.Value
	}
	if tags["team"] != "x" || tags["Name"] != "" || tags["kubernetes.io/cluster/a"] != "1" {
		t.Fatalf("tags %v", tags)
	}
	_, err := e.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"i-0123456789abcdef0"},
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if apiCode(t, err) != "InvalidInstanceID.NotFound" {
		t.Fatalf("tagging an unknown instance: %v", err)
	}
}

func TestAvailabilityZones(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{})
	out, err := e.client.DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || len(out.AvailabilityZones) != 3 {
		t.Fatalf("%+v, %v", out, err)
	}
}
