package ec2_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

func stateNames(t *testing.T, e *env, states ...string) []string {
	t.Helper()
	out, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{
		{Name: aws.String("instance-state-name"), Values: states}}})
	if err != nil {
		t.Fatal(err)
	}
	return instanceIDs(out)
}

// TestStopAndStart: running → stopping (64) → stopped (80) → pending →
// running on the simulated clock, visible to instance-state-name filters.
func TestStopAndStart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, core.Options{Progression: core.Progression{PendingFor: 30 * time.Second, ShuttingDownFor: 20 * time.Second}})
	inst := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "m1")})
	id := *inst.InstanceId
	_, err := e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	if apiCode(t, err) != "IncorrectInstanceState" || apiStatus(t, err) != http.StatusBadRequest {
		t.Fatalf("stopping a pending instance: %v", err)
	}
	e.clock.Step(30 * time.Second)
	stop, err := e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	if c := stop.StoppingInstances[0]; c.PreviousState.Name != types.InstanceStateNameRunning || c.CurrentState.Name != types.InstanceStateNameStopping || aws.ToInt32(c.CurrentState.Code) != 64 {
		t.Fatalf("stop: %+v → %+v", c.PreviousState, c.CurrentState)
	}
	if got := stateNames(t, e, "stopping"); len(got) != 1 || got[0] != id {
		t.Errorf("instance-state-name=stopping lists %v", got)
	}
	_, err = e.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	if apiCode(t, err) != "IncorrectInstanceState" {
		t.Errorf("starting a stopping instance: %v", err)
	}
	e.clock.Step(20 * time.Second)
	if got := describe(t, e, id).State; got.Name != types.InstanceStateNameStopped || aws.ToInt32(got.Code) != 80 {
		t.Fatalf("20 s after the stop: %+v", got)
	}
	if got := stateNames(t, e, "stopped"); len(got) != 1 {
		t.Errorf("instance-state-name=stopped lists %v", got)
	}
	if got := stateNames(t, e, "pending", "running"); len(got) != 0 {
		t.Errorf("a stopped instance is listed as live: %v", got)
	}
	again, err := e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}})
	if err != nil || again.StoppingInstances[0].CurrentState.Name != types.InstanceStateNameStopped {
		t.Errorf("stopping a stopped instance: %+v, %v", again, err)
	}
	start, err := e.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	if err != nil {
		t.Fatal(err)
	}
	if c := start.StartingInstances[0]; c.PreviousState.Name != types.InstanceStateNameStopped || c.CurrentState.Name != types.InstanceStateNamePending {
		t.Fatalf("start: %+v → %+v", c.PreviousState, c.CurrentState)
	}
	e.clock.Step(30 * time.Second)
	got := describe(t, e, id)
	if got.State.Name != types.InstanceStateNameRunning || aws.ToString(got.PrivateIpAddress) != aws.ToString(inst.PrivateIpAddress) {
		t.Fatalf("after the start: %+v, address %s", got.State, aws.ToString(got.PrivateIpAddress))
	}
	if _, err := e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	e.clock.Step(20 * time.Second)
	term, err := e.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	if err != nil || term.TerminatingInstances[0].PreviousState.Name != types.InstanceStateNameStopped {
		t.Fatalf("terminating a stopped instance: %+v, %v", term, err)
	}
	e.clock.Step(20 * time.Second)
	if got := describe(t, e, id).State.Name; got != types.InstanceStateNameTerminated {
		t.Errorf("a terminated stopped instance is %s", got)
	}
	_, err = e.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	if apiCode(t, err) != "IncorrectInstanceState" {
		t.Errorf("starting a terminated instance: %v", err)
	}
	_, err = e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
	if apiCode(t, err) != "InvalidInstanceID.NotFound" {
		t.Errorf("stopping an unknown instance: %v", err)
	}
}
