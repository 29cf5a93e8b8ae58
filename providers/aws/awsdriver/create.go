package awsdriver

import (
	"cmp"
	"context"
	"encoding/base64"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// CreateMachine launches the machine's instance, or returns the one it has.
func (d *Driver) CreateMachine(ctx context.Context, req *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	c, name, err := d.prepareFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	existing, err := c.instancesOf(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		inst := existing[0]
		if string(inst.InstanceType) != c.spec.MachineType {
			return nil, status.Error(codes.AlreadyExists, "instance "+aws.ToString(inst.InstanceId)+" of machine "+name+
				" is a "+string(inst.InstanceType)+", the providerSpec asks for "+c.spec.MachineType)
		}
		return &driver.CreateMachineResponse{ProviderID: providerIDOf(inst), NodeName: aws.ToString(inst.PrivateDnsName)}, nil
	}
	root, err := c.rootDeviceName(ctx)
	if err != nil {
		return nil, err
	}
	out, err := c.ec2.RunInstances(ctx, c.runInput(req.Machine, root))
	if err != nil {
		return nil, machineError("RunInstances", err)
	}
	if len(out.Instances) != 1 {
		return nil, status.Error(codes.Internal, "RunInstances returned no single instance")
	}
	inst := out.Instances[0]
	return &driver.CreateMachineResponse{ProviderID: providerIDOf(inst), NodeName: aws.ToString(inst.PrivateDnsName),
		LastKnownState: "launched " + aws.ToString(inst.InstanceId)}, nil
}

// rootDeviceName asks EC2 for the AMI's root device, which a block device
// without a deviceName resizes. Only needed when such a device is given.
func (c *call) rootDeviceName(ctx context.Context) (string, error) {
	needed := false
	for _, bd := range c.spec.BlockDevices {
		needed = needed || bd.DeviceName == ""
	}
	if !needed {
		return "", nil
	}
	out, err := c.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{c.spec.AMI}})
	if err != nil {
		return "", machineError("DescribeImages", err)
	}
	if len(out.Images) != 1 || out.Images[0].RootDeviceName == nil {
		return "", status.Error(codes.InvalidArgument, "providerSpec.ami: image "+c.spec.AMI+" not found or has no root device")
	}
	return *out.Images[0].RootDeviceName, nil
}

func (c *call) runInput(m *v1alpha1.Machine, rootDevice string) *ec2.RunInstancesInput {
	s := c.spec
	tags := []types.Tag{{Key: aws.String("Name"), Value: aws.String(m.Name)}}
	keys := make([]string, 0, len(s.Tags))
	for k := range s.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "Name" {
			tags = append(tags, types.Tag{Key: aws.String(k), Value: aws.String(s.Tags[k])})
		}
	}
	in := &ec2.RunInstancesInput{
		ImageId:      aws.String(s.AMI),
		InstanceType: types.InstanceType(s.MachineType),
		MinCount:     aws.Int32(1),
		MaxCount:     aws.Int32(1),
		ClientToken:  aws.String(clientToken(s, m)),
		UserData:     aws.String(base64.StdEncoding.EncodeToString(c.secret.Data[SecretUserData])),
		TagSpecifications: []types.TagSpecification{
			{ResourceType: types.ResourceTypeInstance, Tags: tags},
			{ResourceType: types.ResourceTypeVolume, Tags: tags},
			{ResourceType: types.ResourceTypeNetworkInterface, Tags: tags},
		},
		IamInstanceProfile: &types.IamInstanceProfileSpecification{},
	}
	if s.IAM.ARN != "" {
		in.IamInstanceProfile.Arn = aws.String(s.IAM.ARN)
	} else {
		in.IamInstanceProfile.Name = aws.String(s.IAM.Name)
	}
	if s.KeyName != "" {
		in.KeyName = aws.String(s.KeyName)
	}
	if s.Zone != "" {
		in.Placement = &types.Placement{AvailabilityZone: aws.String(s.Zone)}
	}
	for i, ni := range s.NetworkInterfaces {
		in.NetworkInterfaces = append(in.NetworkInterfaces, types.InstanceNetworkInterfaceSpecification{
			DeviceIndex: aws.Int32(int32(i)), SubnetId: aws.String(ni.SubnetID), Groups: ni.SecurityGroupIDs,
			DeleteOnTermination: aws.Bool(true)})
	}
	for _, bd := range s.BlockDevices {
		ebs := &types.EbsBlockDevice{VolumeSize: aws.Int32(bd.Ebs.VolumeSize), Encrypted: aws.Bool(bd.Ebs.Encrypted),
			DeleteOnTermination: aws.Bool(bd.Ebs.DeleteOnTermination == nil || *bd.Ebs.DeleteOnTermination)}
		if bd.Ebs.VolumeType != "" {
			ebs.VolumeType = types.VolumeType(bd.Ebs.VolumeType)
		}
		in.BlockDeviceMappings = append(in.BlockDeviceMappings, types.BlockDeviceMapping{
			DeviceName: aws.String(cmp.Or(bd.DeviceName, rootDevice)), Ebs: ebs})
	}
	return in
}

func providerIDOf(inst types.Instance) string {
	zone := ""
	if inst.Placement != nil {
		zone = aws.ToString(inst.Placement.AvailabilityZone)
	}
	return ProviderID(zone, aws.ToString(inst.InstanceId))
}
