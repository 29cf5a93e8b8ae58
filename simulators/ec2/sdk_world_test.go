package ec2_test

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
)

// TestRegionsFromOneEndpoint: the signing region picks the region; each
// sees its own zones, images and instances only; a region the world lacks
// is refused.
func TestRegionsFromOneEndpoint(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, twoRegions())
	eu := inRegion(e, "eu-west-1")
	us := run(t, e, &ec2.RunInstancesInput{SubnetId: aws.String("subnet-0a1b2c3d")})
	out, err := e.client.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0e00000000000000a"), InstanceType: "m6g.large",
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String("subnet-0e000000000000001")}, eu)
	if err != nil {
		t.Fatalf("launch in eu-west-1: %v", err)
	}
	euInst := out.Instances[0]
	if got := aws.ToString(euInst.Placement.AvailabilityZone); got != "eu-west-1b" {
		t.Errorf("instance in subnet of eu-west-1b placed in %s", got)
	}
	if got := aws.ToString(euInst.PrivateDnsName); !strings.HasSuffix(got, ".eu-west-1.compute.internal") || !strings.HasPrefix(got, "ip-172-16-0-") {
		t.Errorf("private DNS name %s", got)
	}
	for _, tc := range []struct {
		name string
		opt  func(*ec2.Options)
		want []string
	}{
		{"us-east-1", func(*ec2.Options) {}, []string{*us.InstanceId}},
		{"eu-west-1", eu, []string{*euInst.InstanceId}},
	} {
		d, err := e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}, tc.opt)
		if err != nil || !reflect.DeepEqual(instanceIDs(d), tc.want) {
			t.Errorf("%s lists %v (%v), want %v", tc.name, instanceIDs(d), err, tc.want)
		}
	}
	_, err = e.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*us.InstanceId}}, eu)
	if apiCode(t, err) != "InvalidInstanceID.NotFound" {
		t.Errorf("eu-west-1 terminated an instance of us-east-1: %v", err)
	}
	zones, err := e.client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}, eu)
	if err != nil || len(zones.AvailabilityZones) != 2 || aws.ToString(zones.AvailabilityZones[0].RegionName) != "eu-west-1" {
		t.Errorf("eu-west-1 zones %+v, %v", zones, err)
	}
	if _, err := e.client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{sim.DefaultImage.ID}}, eu); apiCode(t, err) != "InvalidAMIID.NotFound" {
		t.Errorf("an image of us-east-1 is known in eu-west-1: %v", err)
	}
	_, err = e.client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}, inRegion(e, "ap-south-1"))
	if apiCode(t, err) != "AuthFailure" || apiStatus(t, err) != http.StatusUnauthorized || !strings.Contains(apiMessage(t, err), "us-east-1, eu-west-1") {
		t.Errorf("a region the world lacks: %v", err)
	}
}

// TestDescribeWorldResources: VPCs, subnets, security groups and key pairs
// of the request's region, by ID and by filter.
func TestDescribeWorldResources(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, twoRegions())
	f := func(name string, values ...string) []types.Filter {
		return []types.Filter{{Name: aws.String(name), Values: values}}
	}
	subnets := func(in *ec2.DescribeSubnetsInput, opts ...func(*ec2.Options)) ([]string, error) {
		out, err := e.client.DescribeSubnets(ctx, in, opts...)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, s := range out.Subnets {
			ids = append(ids, aws.ToString(s.SubnetId))
		}
		return ids, nil
	}
	groups := func(in *ec2.DescribeSecurityGroupsInput, opts ...func(*ec2.Options)) ([]string, error) {
		out, err := e.client.DescribeSecurityGroups(ctx, in, opts...)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, g := range out.SecurityGroups {
			ids = append(ids, aws.ToString(g.GroupId))
		}
		return ids, nil
	}
	vpcs := func(in *ec2.DescribeVpcsInput, opts ...func(*ec2.Options)) ([]string, error) {
		out, err := e.client.DescribeVpcs(ctx, in, opts...)
		if err != nil {
			return nil, err
		}
		var ids []string
		for _, v := range out.Vpcs {
			ids = append(ids, aws.ToString(v.VpcId))
		}
		return ids, nil
	}
	keys := func(in *ec2.DescribeKeyPairsInput, opts ...func(*ec2.Options)) ([]string, error) {
		out, err := e.client.DescribeKeyPairs(ctx, in, opts...)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, k := range out.KeyPairs {
			names = append(names, aws.ToString(k.KeyName))
		}
		return names, nil
	}
	eu := inRegion(e, "eu-west-1")
	tests := []struct {
		name     string
		call     func() ([]string, error)
		want     []string
		wantCode string
	}{
		{"all subnets", func() ([]string, error) { return subnets(&ec2.DescribeSubnetsInput{}) },
			[]string{"subnet-0a1b2c3d", "subnet-0a1b2c3e", "subnet-0a1b2c3f"}, ""},
		{"subnet by id", func() ([]string, error) {
			return subnets(&ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0a1b2c3e"}})
		},
			[]string{"subnet-0a1b2c3e"}, ""},
		{"subnets by zone", func() ([]string, error) {
			return subnets(&ec2.DescribeSubnetsInput{Filters: f("availability-zone", "us-east-1c")})
		},
			[]string{"subnet-0a1b2c3f"}, ""},
		{"subnets by tag, other region", func() ([]string, error) {
			return subnets(&ec2.DescribeSubnetsInput{Filters: f("tag:tier", "private")}, eu)
		}, []string{"subnet-0e000000000000001"}, ""},
		{"unknown subnet", func() ([]string, error) {
			return subnets(&ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0e000000000000001"}})
		},
			nil, "InvalidSubnetID.NotFound"},
		{"malformed subnet", func() ([]string, error) { return subnets(&ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-1"}}) },
			nil, "InvalidSubnetID.Malformed"},
		{"group by id", func() ([]string, error) {
			return groups(&ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0a1b2c3d"}})
		},
			[]string{"sg-0a1b2c3d"}, ""},
		{"group by name filter", func() ([]string, error) {
			return groups(&ec2.DescribeSecurityGroupsInput{Filters: f("group-name", "nod*")}, eu)
		},
			[]string{"sg-0e000000000000001"}, ""},
		{"group by GroupName", func() ([]string, error) {
			return groups(&ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nodes"}})
		},
			[]string{"sg-0a1b2c3d"}, ""},
		{"groups by vpc-id", func() ([]string, error) {
			return groups(&ec2.DescribeSecurityGroupsInput{Filters: f("vpc-id", "vpc-0e000000000000001")})
		}, nil, ""},
		{"groups by tag", func() ([]string, error) {
			return groups(&ec2.DescribeSecurityGroupsInput{Filters: f("tag-key", "team")})
		}, nil, ""},
		{"unknown group", func() ([]string, error) {
			return groups(&ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0000000f"}})
		},
			nil, "InvalidGroup.NotFound"},
		{"malformed group", func() ([]string, error) { return groups(&ec2.DescribeSecurityGroupsInput{GroupIds: []string{"nodes"}}) },
			nil, "InvalidGroupId.Malformed"},
		{"vpcs by tag", func() ([]string, error) { return vpcs(&ec2.DescribeVpcsInput{Filters: f("tag:Name", "simulated")}) },
			[]string{"vpc-0a1b2c3d"}, ""},
		{"vpc by id, other region", func() ([]string, error) {
			return vpcs(&ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0e000000000000001"}}, eu)
		},
			[]string{"vpc-0e000000000000001"}, ""},
		{"unknown vpc", func() ([]string, error) {
			return vpcs(&ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0e000000000000001"}})
		},
			nil, "InvalidVpcID.NotFound"},
		{"key pairs", func() ([]string, error) { return keys(&ec2.DescribeKeyPairsInput{}) }, []string{"ops"}, ""},
		{"key pairs of a region without", func() ([]string, error) { return keys(&ec2.DescribeKeyPairsInput{}, eu) }, nil, ""},
		{"unknown key pair", func() ([]string, error) { return keys(&ec2.DescribeKeyPairsInput{KeyNames: []string{"dev"}}) },
			nil, "InvalidKeyPair.NotFound"},
		{"unknown filter", func() ([]string, error) { return subnets(&ec2.DescribeSubnetsInput{Filters: f("colour", "red")}) },
			nil, "InvalidParameterValue"},
	}
	for _, tc := range tests {
		got, err := tc.call()
		switch {
		case tc.wantCode != "":
			if err == nil || apiCode(t, err) != tc.wantCode || apiStatus(t, err) != http.StatusBadRequest {
				t.Errorf("%s: got %v, %v; want %s (400)", tc.name, got, err, tc.wantCode)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !slices.Equal(got, tc.want):
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	out, err := e.client.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0a1b2c3d"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := out.Subnets[0]; aws.ToString(s.CidrBlock) != "10.0.0.0/18" || aws.ToString(s.VpcId) != "vpc-0a1b2c3d" ||
		len(s.Ipv6CidrBlockAssociationSet) != 1 || aws.ToString(s.Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock) != "2600:1f18:5e1:a700::/64" ||
		aws.ToInt32(s.AvailableIpAddressCount) != 16379 {
		t.Errorf("subnet %+v", s)
	}
}
