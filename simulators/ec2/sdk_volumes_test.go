package ec2_test

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

func volumes(t *testing.T, e *env, filters ...types.Filter) map[string]types.Volume {
	t.Helper()
	out, err := e.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]types.Volume{}
	for _, v := range out.Volumes {
		m[aws.ToString(v.VolumeId)] = v
	}
	return m
}

// TestVolumesFollowTheirInstance: block device mappings create attached
// volumes; on termination DeleteOnTermination volumes go, others stay
// available.
func TestVolumesFollowTheirInstance(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{Progression: core.Progression{ShuttingDownFor: time.Minute}}, world.Default())
	inst := run(t, e, &ec2.RunInstancesInput{TagSpecifications: clusterTags("a", "m1"), BlockDeviceMappings: []types.BlockDeviceMapping{
		{DeviceName: aws.String("/dev/xvda"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(50)}},
		{DeviceName: aws.String("/dev/sdf"), Ebs: &types.EbsBlockDevice{VolumeSize: aws.Int32(100), VolumeType: types.VolumeTypeIo2, DeleteOnTermination: aws.Bool(false)}},
	}})
	other := run(t, e, &ec2.RunInstancesInput{})
	var root, data string
	for _, m := range inst.BlockDeviceMappings {
		if aws.ToString(m.DeviceName) == "/dev/xvda" {
			root = aws.ToString(m.Ebs.VolumeId)
		} else {
			data = aws.ToString(m.Ebs.VolumeId)
		}
	}
	if !world.ValidID("vol-", root) || len(root) != len("vol-")+17 || !world.ValidID("vol-", data) {
		t.Fatalf("volume IDs %q %q", root, data)
	}
	mine := volumes(t, e, types.Filter{Name: aws.String("attachment.instance-id"), Values: []string{*inst.InstanceId}})
	if len(mine) != 2 {
		t.Fatalf("%d volumes attached to %s, want 2", len(mine), *inst.InstanceId)
	}
	if v := mine[data]; v.State != types.VolumeStateInUse || aws.ToInt32(v.Size) != 100 || v.VolumeType != types.VolumeTypeIo2 ||
		len(v.Attachments) != 1 || v.Attachments[0].State != types.VolumeAttachmentStateAttached || aws.ToBool(v.Attachments[0].DeleteOnTermination) ||
		aws.ToString(v.Attachments[0].Device) != "/dev/sdf" || aws.ToString(v.AvailabilityZone) != "us-east-1a" {
		t.Errorf("data volume %+v", v)
	}
	if got := volumes(t, e, types.Filter{Name: aws.String("tag:Name"), Values: []string{"m1"}}); len(got) != 2 {
		t.Errorf("volumes tagged at launch: %d, want 2", len(got))
	}
	if got := volumes(t, e, types.Filter{Name: aws.String("volume-id"), Values: []string{root}}); len(got) != 1 || aws.ToInt32(got[root].Size) != 50 {
		t.Errorf("root volume by ID: %+v", got)
	}
	if _, err := e.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{data}, Tags: []types.Tag{{Key: aws.String("keep"), Value: aws.String("yes")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{*inst.InstanceId}}); err != nil {
		t.Fatal(err)
	}
	if v := volumes(t, e)[root]; v.Attachments[0].State != types.VolumeAttachmentStateDetaching {
		t.Errorf("root volume while shutting down: %+v", v.Attachments)
	}
	e.clock.Step(time.Minute)
	all := volumes(t, e)
	if _, ok := all[root]; ok {
		t.Errorf("the root volume survived termination")
	}
	if v := all[data]; v.State != types.VolumeStateAvailable || len(v.Attachments) != 0 || len(v.Tags) != 2 {
		t.Errorf("kept volume %+v", v)
	}
	if got := volumes(t, e, types.Filter{Name: aws.String("status"), Values: []string{"in-use"}}); len(got) != 1 || got[aws.ToString(other.BlockDeviceMappings[0].Ebs.VolumeId)].VolumeId == nil {
		t.Errorf("in-use volumes: %v", got)
	}
	_, err := e.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{root}})
	if apiCode(t, err) != "InvalidVolume.NotFound" {
		t.Errorf("describing a deleted volume: %v", err)
	}
	_, err = e.client.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{root}, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if apiCode(t, err) != "InvalidVolume.NotFound" {
		t.Errorf("tagging a deleted volume: %v", err)
	}
	_, err = e.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{"vol-1"}})
	if apiCode(t, err) != "InvalidVolumeID.Malformed" {
		t.Errorf("a malformed volume ID: %v", err)
	}
}

// TestEachInstanceOfALaunchHasItsOwn: MaxCount 3 gives three instances
// their own addresses, interfaces and volumes; a retry with the same
// client token returns them unchanged.
func TestEachInstanceOfALaunchHasItsOwn(t *testing.T) {
	t.Parallel()
	e := worldEnv(t, core.Options{}, world.Default())
	in := &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: types.InstanceTypeM5Large,
		MinCount: aws.Int32(3), MaxCount: aws.Int32(3), ClientToken: aws.String("token-1")}
	out, err := e.client.RunInstances(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	var ips, enis, vols []string
	for _, i := range out.Instances {
		ips = append(ips, aws.ToString(i.PrivateIpAddress))
		enis = append(enis, aws.ToString(i.NetworkInterfaces[0].NetworkInterfaceId))
		vols = append(vols, aws.ToString(i.BlockDeviceMappings[0].Ebs.VolumeId))
		if aws.ToString(i.PrivateDnsName) != "ip-"+dashes(aws.ToString(i.PrivateIpAddress))+".ec2.internal" {
			t.Errorf("DNS name %s for %s", aws.ToString(i.PrivateDnsName), aws.ToString(i.PrivateIpAddress))
		}
	}
	for name, list := range map[string][]string{"addresses": ips, "interfaces": enis, "volumes": vols} {
		if n := len(slices.Compact(slices.Sorted(slices.Values(list)))); n != 3 {
			t.Errorf("%s %v are not distinct", name, list)
		}
	}
	if got := len(volumes(t, e)); got != 3 {
		t.Errorf("%d volumes for 3 instances", got)
	}
	again, err := e.client.RunInstances(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	for i, inst := range again.Instances {
		if aws.ToString(inst.PrivateIpAddress) != ips[i] || aws.ToString(inst.BlockDeviceMappings[0].Ebs.VolumeId) != vols[i] {
			t.Errorf("replay changed instance %d: %s %s", i, aws.ToString(inst.PrivateIpAddress), aws.ToString(inst.BlockDeviceMappings[0].Ebs.VolumeId))
		}
	}
	if got := len(volumes(t, e)); got != 3 {
		t.Errorf("%d volumes after a replay, want 3", got)
	}
}

func dashes(ip string) string {
	b := []byte(ip)
	for i, c := range b {
		if c == '.' {
			b[i] = '-'
		}
	}
	return string(b)
}
