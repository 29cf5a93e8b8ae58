package altaws

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// CreateMachine returns the machine's VM if the cluster has one, and
// launches it otherwise.
func (d *Driver) CreateMachine(ctx context.Context, req *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "CreateMachine: the request is nil")
	}
	c, err := d.prepareMachine(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	name := req.Machine.Name
	found, err := c.byName(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		return &driver.CreateMachineResponse{ProviderID: c.providerIDOf(found[0]), NodeName: aws.ToString(found[0].PrivateDnsName),
			LastKnownState: "found " + aws.ToString(found[0].InstanceId)}, nil
	}
	in, err := c.runInput(ctx, req.Machine)
	if err != nil {
		return nil, err
	}
	out, err := c.ec2.RunInstances(ctx, in)
	if err != nil {
		return nil, c.fail("RunInstances for machine "+name, err)
	}
	if len(out.Instances) != 1 {
		return nil, status.Error(codes.Internal, fmt.Sprintf("EC2 RunInstances for machine %s returned %d instances, want 1 (MinCount=MaxCount=1)", name, len(out.Instances)))
	}
	inst := out.Instances[0]
	if st := inst.State; st != nil && (st.Name == types.InstanceStateNameShuttingDown || st.Name == types.InstanceStateNameTerminated) {
		// EC2 replayed an earlier launch of this machine's client token,
		// whose VM has gone since. A machine UID launches one VM only;
		// the machine must be replaced.
		return nil, status.Error(codes.Internal, fmt.Sprintf("machine %s (uid %s) already launched instance %s, which is now %s; replace the machine",
			name, req.Machine.UID, aws.ToString(inst.InstanceId), st.Name))
	}
	return &driver.CreateMachineResponse{ProviderID: c.providerIDOf(inst), NodeName: aws.ToString(inst.PrivateDnsName),
		LastKnownState: "launched " + aws.ToString(inst.InstanceId)}, nil
}

// runInput is the RunInstances request for machine m.
func (c *call) runInput(ctx context.Context, m *v1alpha1.Machine) (*ec2.RunInstancesInput, error) {
	s := c.spec
	in := &ec2.RunInstancesInput{
		ImageId:          aws.String(s.ImageID),
		InstanceType:     types.InstanceType(s.InstanceType),
		MinCount:         aws.Int32(1),
		MaxCount:         aws.Int32(1),
		SubnetId:         aws.String(s.SubnetID),
		SecurityGroupIds: s.SecurityGroupIDs,
		Placement:        &types.Placement{AvailabilityZone: aws.String(s.Zone())},
		UserData:         aws.String(base64.StdEncoding.EncodeToString(c.creds.userData)),
		ClientToken:      aws.String(clientToken(s.ClusterName, m)),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: []types.Tag{
			{Key: aws.String(TagName), Value: aws.String(m.Name)},
			{Key: aws.String(c.clusterTag()), Value: aws.String("1")},
			{Key: aws.String(RoleTagPrefix + s.NodeRole), Value: aws.String("1")},
		}}},
	}
	if s.RootVolumeGiB != nil {
		root, err := c.rootDevice(ctx)
		if err != nil {
			return nil, err
		}
		in.BlockDeviceMappings = []types.BlockDeviceMapping{{DeviceName: aws.String(root), Ebs: &types.EbsBlockDevice{
			VolumeSize: s.RootVolumeGiB, VolumeType: types.VolumeTypeGp3, DeleteOnTermination: aws.Bool(true)}}}
	}
	return in, nil
}

// rootDevice asks EC2 for the image's root device name, which a block
// device mapping must name to resize the root volume.
func (c *call) rootDevice(ctx context.Context) (string, error) {
	out, err := c.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{c.spec.ImageID}})
	if err != nil {
		return "", c.fail("DescribeImages for providerSpec.imageId "+c.spec.ImageID, err)
	}
	if len(out.Images) != 1 || aws.ToString(out.Images[0].RootDeviceName) == "" {
		return "", status.Error(codes.InvalidArgument, fmt.Sprintf(
			"providerSpec.imageId: EC2 knows no image %s with a root device, so providerSpec.rootVolumeGiB cannot resize it", c.spec.ImageID))
	}
	return aws.ToString(out.Images[0].RootDeviceName), nil
}

// clientToken makes RunInstances idempotent per machine: an SDK retry after
// a lost answer, or a CreateMachine retried by the controller, presents
// the same token and gets the VM already launched. The cluster is part of
// it so two clusters' machines of the same name and UID never collide.
func clientToken(cluster string, m *v1alpha1.Machine) string {
	sum := sha256.Sum256([]byte(cluster + "/" + m.Namespace + "/" + m.Name + "/" + string(m.UID)))
	return hex.EncodeToString(sum[:])[:64]
}
