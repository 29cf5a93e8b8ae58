package ec2_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// dualStack is the default world with a second security group.
func dualStack() world.World {
	w := world.Default()
	w.Regions[0].SecurityGroups = append(w.Regions[0].SecurityGroups, world.SecurityGroup{ID: "sg-0a1b2c3e", Name: "routers", VPC: "vpc-0a1b2c3d"})
	return w
}

func nicByIndex(inst types.Instance, index int32) types.InstanceNetworkInterface {
	for _, n := range inst.NetworkInterfaces {
		if aws.ToInt32(n.Attachment.DeviceIndex) == index {
			return n
		}
	}
	return types.InstanceNetworkInterface{}
}

// TestNetworkInterfacesFromRunInstances: interface type, IPv6 addresses
// and prefixes asked for at launch show in DescribeInstances, with
// sourceDestCheck true.
func TestNetworkInterfacesFromRunInstances(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, dualStack())
	inst := run(t, e, &ec2.RunInstancesInput{NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{
		{DeviceIndex: aws.Int32(0), SubnetId: aws.String("subnet-0a1b2c3d"), Groups: []string{"sg-0a1b2c3d"}, Ipv6AddressCount: aws.Int32(2), Ipv6PrefixCount: aws.Int32(1)},
		{DeviceIndex: aws.Int32(1), SubnetId: aws.String("subnet-0a1b2c3d"), Groups: []string{"sg-0a1b2c3e"}, InterfaceType: aws.String("efa"),
			Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String("2600:1f18:5e1:a700::abcd")}}},
	}})
	got := describe(t, e, *inst.InstanceId)
	if !aws.ToBool(got.SourceDestCheck) || len(got.NetworkInterfaces) != 2 {
		t.Fatalf("sourceDestCheck %v, %d interfaces", aws.ToBool(got.SourceDestCheck), len(got.NetworkInterfaces))
	}
	subnet := netip.MustParsePrefix("2600:1f18:5e1:a700::/64")
	primary, second := nicByIndex(got, 0), nicByIndex(got, 1)
	if aws.ToString(primary.InterfaceType) != "interface" || !aws.ToBool(primary.SourceDestCheck) || len(primary.Ipv6Addresses) != 2 || len(primary.Ipv6Prefixes) != 1 {
		t.Errorf("primary interface %+v", primary)
	}
	for _, a := range primary.Ipv6Addresses {
		if addr := netip.MustParseAddr(aws.ToString(a.Ipv6Address)); !subnet.Contains(addr) {
			t.Errorf("address %s outside the subnet", addr)
		}
	}
	if p := netip.MustParsePrefix(aws.ToString(primary.Ipv6Prefixes[0].Ipv6Prefix)); p.Bits() != 80 || !subnet.Contains(p.Addr()) {
		t.Errorf("prefix %s", p)
	}
	if aws.ToString(got.Ipv6Address) != aws.ToString(primary.Ipv6Addresses[0].Ipv6Address) {
		t.Errorf("instance IPv6 address %s", aws.ToString(got.Ipv6Address))
	}
	if aws.ToString(second.InterfaceType) != "efa" || aws.ToString(second.Ipv6Addresses[0].Ipv6Address) != "2600:1f18:5e1:a700::abcd" ||
		aws.ToString(second.Groups[0].GroupId) != "sg-0a1b2c3e" || aws.ToString(second.Groups[0].GroupName) != "routers" ||
		aws.ToString(second.PrivateIpAddress) == aws.ToString(primary.PrivateIpAddress) || aws.ToString(second.VpcId) != "vpc-0a1b2c3d" {
		t.Errorf("second interface %+v", second)
	}
	_, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: got.ImageId, InstanceType: got.InstanceType, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		NetworkInterfaces: []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: aws.String("subnet-0a1b2c3d"),
			Ipv6Addresses: []types.InstanceIpv6Address{{Ipv6Address: aws.String("2600:1f18:5e1:a700::abcd")}}}}})
	if apiCode(t, err) != "InvalidIPAddress.InUse" {
		t.Errorf("an IPv6 address in use: %v", err)
	}
}

// TestModifyNetworkInterfaceAttribute: source/dest check and groups change
// on the interface and show on the instance.
func TestModifyNetworkInterfaceAttribute(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, dualStack())
	inst := run(t, e, &ec2.RunInstancesInput{SubnetId: aws.String("subnet-0a1b2c3d"), SecurityGroupIds: []string{"sg-0a1b2c3d"}})
	eni := inst.NetworkInterfaces[0].NetworkInterfaceId
	if _, err := e.client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni,
		SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(false)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni,
		Groups: []string{"sg-0a1b2c3e", "sg-0a1b2c3d"}}); err != nil {
		t.Fatal(err)
	}
	got := describe(t, e, *inst.InstanceId)
	var groups []string
	for _, g := range got.SecurityGroups {
		groups = append(groups, aws.ToString(g.GroupId))
	}
	if aws.ToBool(got.SourceDestCheck) || aws.ToBool(got.NetworkInterfaces[0].SourceDestCheck) || !slices.Equal(groups, []string{"sg-0a1b2c3e", "sg-0a1b2c3d"}) {
		t.Errorf("after modifying: sourceDestCheck %v/%v, groups %v", aws.ToBool(got.SourceDestCheck), aws.ToBool(got.NetworkInterfaces[0].SourceDestCheck), groups)
	}
	tests := []struct {
		name string
		in   ec2.ModifyNetworkInterfaceAttributeInput
		code string
	}{
		{"unknown interface", ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: aws.String("eni-0123456789abcdef0"),
			SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(true)}}, "InvalidNetworkInterfaceID.NotFound"},
		{"malformed interface", ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: aws.String("nic-1"),
			SourceDestCheck: &types.AttributeBooleanValue{Value: aws.Bool(true)}}, "InvalidNetworkInterfaceID.Malformed"},
		{"unknown group", ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni, Groups: []string{"sg-0000000f"}}, "InvalidGroup.NotFound"},
		{"malformed group", ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni, Groups: []string{"routers"}}, "InvalidGroupId.Malformed"},
		{"nothing to change", ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni}, "InvalidParameterCombination"},
		{"an attribute not modelled", ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni,
			Description: &types.AttributeValue{Value: aws.String("x")}}, "UnsupportedOperation"},
	}
	for _, tc := range tests {
		if _, err := e.client.ModifyNetworkInterfaceAttribute(ctx, &tc.in); err == nil || apiCode(t, err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
}

// TestAssignIpv6Addresses: by count, explicitly and as prefixes; refused
// on a subnet without IPv6 and for an address in use.
func TestAssignIpv6Addresses(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, twoRegions())
	inst := run(t, e, &ec2.RunInstancesInput{SubnetId: aws.String("subnet-0a1b2c3d")})
	eni := inst.NetworkInterfaces[0].NetworkInterfaceId
	out, err := e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6AddressCount: aws.Int32(2)})
	if err != nil || len(out.AssignedIpv6Addresses) != 2 || aws.ToString(out.NetworkInterfaceId) != *eni {
		t.Fatalf("by count: %+v, %v", out, err)
	}
	explicit, err := e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Addresses: []string{"2600:1f18:5e1:a700::77"}})
	if err != nil || !slices.Equal(explicit.AssignedIpv6Addresses, []string{"2600:1f18:5e1:a700::77"}) {
		t.Fatalf("explicit: %+v, %v", explicit, err)
	}
	prefixes, err := e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Prefixes: []string{"2600:1f18:5e1:a700:9::/80"}})
	if err != nil || len(prefixes.AssignedIpv6Prefixes) != 1 {
		t.Fatalf("explicit prefix: %+v, %v", prefixes, err)
	}
	counted, err := e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6PrefixCount: aws.Int32(1)})
	if err != nil || len(counted.AssignedIpv6Prefixes) != 1 || counted.AssignedIpv6Prefixes[0] == prefixes.AssignedIpv6Prefixes[0] {
		t.Fatalf("prefix by count: %+v, %v", counted, err)
	}
	got := nicByIndex(describe(t, e, *inst.InstanceId), 0)
	if len(got.Ipv6Addresses) != 3 || len(got.Ipv6Prefixes) != 2 {
		t.Errorf("interface after assigning: %d addresses, %d prefixes", len(got.Ipv6Addresses), len(got.Ipv6Prefixes))
	}
	_, err = e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Addresses: []string{"2600:1f18:5e1:a700::77"}})
	if apiCode(t, err) != "InvalidIPAddress.InUse" {
		t.Errorf("assigning an address twice: %v", err)
	}
	_, err = e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eni, Ipv6Addresses: []string{"2600:1f18:5e1:b700::1"}})
	if apiCode(t, err) != "InvalidParameterValue" {
		t.Errorf("an address outside the subnet: %v", err)
	}
	eu, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0e00000000000000a"), InstanceType: "m6g.large",
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}, inRegion(e, "eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.AssignIpv6Addresses(ctx, &ec2.AssignIpv6AddressesInput{NetworkInterfaceId: eu.Instances[0].NetworkInterfaces[0].NetworkInterfaceId,
		Ipv6AddressCount: aws.Int32(1)}, inRegion(e, "eu-west-1"))
	if apiCode(t, err) != "InvalidParameterValue" || apiMessage(t, err) != "The subnet (subnet-0e000000000000001) has no IPv6 CIDR block associated with it." {
		t.Errorf("IPv6 on an IPv4-only subnet: %v", err)
	}
}
