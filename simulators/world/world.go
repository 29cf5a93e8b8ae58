package world

import (
	"maps"
	"slices"
)

// World is one simulated AWS account.
type World struct {
	// AccountID owns every resource: 12 digits.
	AccountID string `yaml:"accountID"`
	// Credentials are the long-term access keys the account accepts.
	Credentials []Credential `yaml:"credentials"`
	// Regions the endpoint serves; a request's SigV4 scope picks one.
	Regions []Region `yaml:"regions"`
}

// Credential is an IAM user's access key.
type Credential struct {
	AccessKeyID     string `yaml:"accessKeyID"`
	SecretAccessKey string `yaml:"secretAccessKey"`
	// User is the IAM user name GetCallerIdentity reports. Default "simulator".
	User string `yaml:"user,omitempty"`
}

// Region is what one region of the account holds.
type Region struct {
	Name             string            `yaml:"name"`
	Zones            []string          `yaml:"zones"`
	Images           []Image           `yaml:"images,omitempty"`
	InstanceTypes    []InstanceType    `yaml:"instanceTypes,omitempty"`
	VPCs             []VPC             `yaml:"vpcs,omitempty"`
	Subnets          []Subnet          `yaml:"subnets,omitempty"`
	SecurityGroups   []SecurityGroup   `yaml:"securityGroups,omitempty"`
	KeyPairs         []KeyPair         `yaml:"keyPairs,omitempty"`
	InstanceProfiles []InstanceProfile `yaml:"instanceProfiles,omitempty"`
	Quotas           Quotas            `yaml:"quotas,omitempty"`
}

// Image is an AMI.
type Image struct {
	ID             string `yaml:"id"`
	Name           string `yaml:"name"`
	RootDeviceName string `yaml:"rootDeviceName"`
	Architecture   string `yaml:"architecture"`
}

// InstanceType is a launchable type and its size for the vCPU quota.
type InstanceType struct {
	Name  string `yaml:"name"`
	VCPUs int    `yaml:"vcpus"`
}

// VPC is a virtual network.
type VPC struct {
	ID   string `yaml:"id"`
	CIDR string `yaml:"cidr"`
	// IPv6CIDR is an optional /56.
	IPv6CIDR string            `yaml:"ipv6CIDR,omitempty"`
	Tags     map[string]string `yaml:"tags,omitempty"`
}

// Subnet is a range of a VPC in one zone.
type Subnet struct {
	ID   string `yaml:"id"`
	VPC  string `yaml:"vpc"`
	Zone string `yaml:"zone"`
	CIDR string `yaml:"cidr"`
	// IPv6CIDR is an optional /64 inside the VPC's IPv6 CIDR.
	IPv6CIDR string            `yaml:"ipv6CIDR,omitempty"`
	Tags     map[string]string `yaml:"tags,omitempty"`
}

// SecurityGroup belongs to a VPC; its name is unique there.
type SecurityGroup struct {
	ID          string            `yaml:"id"`
	Name        string            `yaml:"name"`
	VPC         string            `yaml:"vpc"`
	Description string            `yaml:"description,omitempty"`
	Tags        map[string]string `yaml:"tags,omitempty"`
}

// KeyPair is an SSH key launches may name.
type KeyPair struct {
	Name string `yaml:"name"`
	// ID is key- and 17 hex digits; derived from the name when empty.
	ID   string            `yaml:"id,omitempty"`
	Tags map[string]string `yaml:"tags,omitempty"`
}

// InstanceProfile is an IAM instance profile launches may name.
type InstanceProfile struct {
	Name string `yaml:"name"`
	// ARN defaults to arn:aws:iam::<account>:instance-profile/<name>.
	ARN string `yaml:"arn,omitempty"`
}

// Quotas limit what live instances of a region use. Zero means no limit.
type Quotas struct {
	VCPUs     int `yaml:"vcpus,omitempty"`
	Instances int `yaml:"instances,omitempty"`
}

// Region returns the region called name, or nil.
func (w *World) Region(name string) *Region {
	for i := range w.Regions {
		if w.Regions[i].Name == name {
			return &w.Regions[i]
		}
	}
	return nil
}

// RegionNames lists the regions in order.
func (w *World) RegionNames() []string {
	out := make([]string, len(w.Regions))
	for i, r := range w.Regions {
		out[i] = r.Name
	}
	return out
}

// Clone returns a deep copy, for callers that adjust a world.
func (w World) Clone() World {
	w.Credentials = slices.Clone(w.Credentials)
	w.Regions = slices.Clone(w.Regions)
	for i := range w.Regions {
		r := &w.Regions[i]
		r.Zones = slices.Clone(r.Zones)
		r.Images = slices.Clone(r.Images)
		r.InstanceTypes = slices.Clone(r.InstanceTypes)
		r.VPCs = slices.Clone(r.VPCs)
		r.Subnets = slices.Clone(r.Subnets)
		r.SecurityGroups = slices.Clone(r.SecurityGroups)
		r.KeyPairs = slices.Clone(r.KeyPairs)
		r.InstanceProfiles = slices.Clone(r.InstanceProfiles)
		for j := range r.VPCs {
			r.VPCs[j].Tags = maps.Clone(r.VPCs[j].Tags)
		}
		for j := range r.Subnets {
			r.Subnets[j].Tags = maps.Clone(r.Subnets[j].Tags)
		}
		for j := range r.SecurityGroups {
			r.SecurityGroups[j].Tags = maps.Clone(r.SecurityGroups[j].Tags)
		}
		for j := range r.KeyPairs {
			r.KeyPairs[j].Tags = maps.Clone(r.KeyPairs[j].Tags)
		}
	}
	return w
}
