package ec2_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// TestChaosSeenThroughTheSDK: a killed VM shows shutting-down then
// terminated, a vanished one is unknown, an injected orphan is listed.
func TestChaosSeenThroughTheSDK(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, core.Options{Progression: core.Progression{ShuttingDownFor: time.Minute}})
	killed := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "k")})
	vanished := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "v")})
	orphan := e.cloud.Inject(core.LaunchSpec{IDPrefix: "i-", IDDigits: 17, Zone: "us-east-1a",
		Tags: map[string]string{"kubernetes.io/cluster/a": "1", "Name": "orphan"}, Owner: core.Owner{Kind: core.Orphan, Cluster: "a"}})

	if err := e.cloud.Kill(*killed.InstanceId); err != nil {
		t.Fatal(err)
	}
	if got := describe(t, e, *killed.InstanceId).State.Name; got != types.InstanceStateNameShuttingDown {
		t.Fatalf("killed VM is %s", got)
	}
	e.clock.Step(time.Minute)
	if got := describe(t, e, *killed.InstanceId).State.Name; got != types.InstanceStateNameTerminated {
		t.Fatalf("killed VM is %s a minute later", got)
	}
	if err := e.cloud.Vanish(*vanished.InstanceId); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{*vanished.InstanceId}})
	if apiCode(t, err) != "InvalidInstanceID.NotFound" {
		t.Fatalf("vanished VM: %v", err)
	}
	if got := describe(t, e, orphan.ID); got.State.Name != types.InstanceStateNameRunning {
		t.Fatalf("orphan is %s", got.State.Name)
	}
	if o, _ := e.cloud.Owner(orphan.ID); o.Kind != core.Orphan {
		t.Errorf("oracle: %+v", o)
	}
}

// TestFaultProbabilityThroughTheSDK: a 50% throttle with one seed fails the
// same calls on every run; the SDK's retries are off to see each answer.
func TestFaultProbabilityThroughTheSDK(t *testing.T) {
	t.Parallel()
	outcomes := func() []bool {
		e := newEnv(t, core.Options{Seed: 42, Faults: []core.FaultRule{{Name: "half", Operation: "DescribeInstances",
			Probability: 0.5, Error: &core.FaultError{Code: "RequestLimitExceeded", Status: 503}}}})
		var out []bool
		for i := 0; i < 20; i++ {
			_, err := e.client.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}, func(o *ec2.Options) { o.RetryMaxAttempts = 1 })
			out = append(out, err != nil)
		}
		return out
	}
	a, b := outcomes(), outcomes()
	failed := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("call %d differs between runs with the same seed", i)
		}
		if a[i] {
			failed++
		}
	}
	if failed == 0 || failed == len(a) {
		t.Fatalf("%d of %d calls failed at probability 0.5", failed, len(a))
	}
}
