package ec2_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// TestNewActionsGoThroughFaults: a fault rule naming each new action
// fails it, through the SDK, before it takes effect; rules may match the
// region.
func TestNewActionsGoThroughFaults(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, world.Default())
	inst := run(t, e, &ec2.RunInstancesInput{})
	id, eni := *inst.InstanceId, inst.NetworkInterfaces[0].NetworkInterfaceId
	noRetry := func(o *ec2.Options) { o.RetryMaxAttempts = 1 }
	calls := map[string]func() error{
		"StopInstances": func() error {
			_, err := e.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}, noRetry)
			return err
		},
		"StartInstances": func() error {
			_, err := e.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}, noRetry)
			return err
		},
		"DescribeVpcs": func() error { _, err := e.client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}, noRetry); return err },
		"DescribeSubnets": func() error {
			_, err := e.client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{}, noRetry)
			return err
		},
		"DescribeSecurityGroups": func() error {
			_, err := e.client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{}, noRetry)
			return err
		},
		"DescribeKeyPairs": func() error {
			_, err := e.client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{}, noRetry)
			return err
		},
		"DescribeVolumes": func() error {
			_, err := e.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{}, noRetry)
			return err
		},
		"ModifyNetworkInterfaceAttribute": func() error {
			_, err := e.client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni,
				SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}}, noRetry)
			return err
		},
		"AssignIpv6Addresses": func() error {
			_, err := e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6AddressCount: aws.Int32(1)}, noRetry)
			return err
		},
	}
	for action, call := range calls {
		e.cloud.AddFault(core.FaultRule{Name: "throttle " + action, Operation: action, Match: map[string]string{"Region": "us-east-1"}, Count: 1,
			Error: &core.FaultError{Code: "RequestLimitExceeded", Status: http.StatusServiceUnavailable}})
		if err := call(); err == nil || apiCode(t, err) != "RequestLimitExceeded" {
			t.Errorf("%s: %v, want the injected RequestLimitExceeded", action, err)
		}
	}
	got := describe(t, e, id)
	if got.State.Name != types.InstanceStateNameRunning || !aws.ToBool(got.SourceDestCheck) || len(got.NetworkInterfaces[0].Ipv6Addresses) != 0 {
		t.Errorf("a refused call took effect: state %s, sourceDestCheck %v, IPv6 %v", got.State.Name, aws.ToBool(got.SourceDestCheck), got.NetworkInterfaces[0].Ipv6Addresses)
	}
	fired := 0
	for _, ev := range e.cloud.Events() {
		if ev.Kind == core.KindFault {
			fired++
		}
	}
	if fired != len(calls) {
		t.Errorf("%d faults fired, want %d", fired, len(calls))
	}
}
