package awsdriver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ProviderSpec is the MachineClass providerSpec of the aws provider.
type ProviderSpec struct {
	AMI               string             `json:"ami"`
	Region            string             `json:"region"`
	MachineType       string             `json:"machineType"`
	Zone              string             `json:"zone,omitempty"`
	IAM               IAM                `json:"iam"`
	KeyName           string             `json:"keyName,omitempty"`
	NetworkInterfaces []NetworkInterface `json:"networkInterfaces"`
	BlockDevices      []BlockDevice      `json:"blockDevices,omitempty"`
	Tags              map[string]string  `json:"tags"`
}

// IAM names the instance profile by name or ARN.
type IAM struct {
	Name string `json:"name,omitempty"`
	ARN  string `json:"arn,omitempty"`
}

// NetworkInterface places the VM in a subnet with security groups.
type NetworkInterface struct {
	SubnetID         string   `json:"subnetID"`
	SecurityGroupIDs []string `json:"securityGroupIDs,omitempty"`
}

// BlockDevice is an EBS volume; DeviceName empty means the root device.
type BlockDevice struct {
	DeviceName string `json:"deviceName,omitempty"`
	Ebs        Ebs    `json:"ebs"`
}

// Ebs describes an EBS volume.
type Ebs struct {
	VolumeSize          int32  `json:"volumeSize"`
	VolumeType          string `json:"volumeType,omitempty"`
	DeleteOnTermination *bool  `json:"deleteOnTermination,omitempty"`
	Encrypted           bool   `json:"encrypted,omitempty"`
}

// Secret keys, spelled as MCM's AWS provider spells them.
const (
	SecretAccessKeyID     = "providerAccessKeyId"
	SecretSecretAccessKey = "providerSecretAccessKey"
	SecretUserData        = "userData"
)

// Tag prefixes that give a VM's cluster and role.
const (
	ClusterTagPrefix = "kubernetes.io/cluster/"
	RoleTagPrefix    = "kubernetes.io/role/"
)

var volumeTypes = []string{"gp2", "gp3", "io1", "io2", "sc1", "st1", "standard"}

// DecodeSpec parses raw strictly and validates it with the secret data.
func DecodeSpec(raw []byte, secret map[string][]byte) (ProviderSpec, field.ErrorList) {
	root := field.NewPath("providerSpec")
	var spec ProviderSpec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, field.ErrorList{field.Invalid(root, string(raw), fmt.Sprintf("not an aws providerSpec: %v", err))}
	}
	return spec, Validate(spec, secret)
}

// Validate checks spec and secret, naming every field at fault.
func Validate(spec ProviderSpec, secret map[string][]byte) field.ErrorList {
	root := field.NewPath("providerSpec")
	var errs field.ErrorList
	required := func(p *field.Path, v, prefix string) {
		switch {
		case v == "":
			errs = append(errs, field.Required(p, ""))
		case prefix != "" && !strings.HasPrefix(v, prefix):
			errs = append(errs, field.Invalid(p, v, "must start with "+prefix))
		}
	}
	required(root.Child("ami"), spec.AMI, "ami-")
	required(root.Child("region"), spec.Region, "")
	required(root.Child("machineType"), spec.MachineType, "")
	if spec.IAM.Name == "" && spec.IAM.ARN == "" {
		errs = append(errs, field.Required(root.Child("iam"), "name or arn of the instance profile"))
	}
	nis := root.Child("networkInterfaces")
	if len(spec.NetworkInterfaces) == 0 {
		errs = append(errs, field.Required(nis, "at least one network interface with a subnetID"))
	}
	for i, ni := range spec.NetworkInterfaces {
		required(nis.Index(i).Child("subnetID"), ni.SubnetID, "subnet-")
		for j, g := range ni.SecurityGroupIDs {
			required(nis.Index(i).Child("securityGroupIDs").Index(j), g, "sg-")
		}
	}
	for i, bd := range spec.BlockDevices {
		p := root.Child("blockDevices").Index(i).Child("ebs")
		if bd.Ebs.VolumeSize <= 0 {
			errs = append(errs, field.Invalid(p.Child("volumeSize"), bd.Ebs.VolumeSize, "must be a positive number of GiB"))
		}
		if t := bd.Ebs.VolumeType; t != "" && !slices.Contains(volumeTypes, t) {
			errs = append(errs, field.NotSupported(p.Child("volumeType"), t, volumeTypes))
		}
	}
	if clusterTag(spec.Tags) == "" {
		errs = append(errs, field.Required(root.Child("tags"), "a tag "+ClusterTagPrefix+"<cluster> identifies the cluster's VMs"))
	}
	if roleTag(spec.Tags) == "" {
		errs = append(errs, field.Required(root.Child("tags"), "a tag "+RoleTagPrefix+"<role> identifies the VMs' role"))
	}
	sec := field.NewPath("secret")
	for _, k := range []string{SecretAccessKeyID, SecretSecretAccessKey, SecretUserData} {
		if len(secret[k]) == 0 {
			errs = append(errs, field.Required(sec.Child(k), "must be set and not empty"))
		}
	}
	return errs
}

func clusterTag(tags map[string]string) string { return tagWithPrefix(tags, ClusterTagPrefix) }
func roleTag(tags map[string]string) string    { return tagWithPrefix(tags, RoleTagPrefix) }

// tagWithPrefix returns the first (sorted) tag key with prefix.
func tagWithPrefix(tags map[string]string, prefix string) string {
	var keys []string
	for k := range tags {
		if strings.HasPrefix(k, prefix) && len(k) > len(prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}
