package world

import (
	"crypto/sha256"
	"encoding/hex"
)

// Defaults of the account Default describes; the EC2 simulator re-exports
// them under its own names.
const (
	DefaultAccountID       = "123456789012"
	DefaultAccessKeyID     = "AKIASIMULATOR0000001"
	DefaultSecretAccessKey = "simulator/secret/key/do-not-use-elsewhere"
	DefaultUser            = "simulator"
	DefaultRegion          = "us-east-1"
)

// DefaultImage is the AMI of the default world.
var DefaultImage = Image{ID: "ami-0123456789abcdef0", Name: "simulated-linux", RootDeviceName: "/dev/xvda", Architecture: "x86_64"}

// DefaultInstanceTypes is a small catalogue with real vCPU counts.
var DefaultInstanceTypes = []InstanceType{
	{"t3.micro", 2}, {"t3.small", 2}, {"t3.medium", 2}, {"m5.large", 2}, {"m5.xlarge", 4}, {"m5.2xlarge", 8}, {"c5.4xlarge", 16},
}

// Default returns a small account: us-east-1 with three zones, the default
// image and instance types, one dual-stack VPC with a subnet per zone, one
// security group, the key pair "ops" and the instance profile "nodes". The
// first subnet and the group are the IDs the sample provider specs use.
func Default() World {
	const vpc = "vpc-0a1b2c3d"
	return World{
		AccountID:   DefaultAccountID,
		Credentials: []Credential{{AccessKeyID: DefaultAccessKeyID, SecretAccessKey: DefaultSecretAccessKey, User: DefaultUser}},
		Regions: []Region{{
			Name:          DefaultRegion,
			Zones:         []string{"us-east-1a", "us-east-1b", "us-east-1c"},
			Images:        []Image{DefaultImage},
			InstanceTypes: append([]InstanceType(nil), DefaultInstanceTypes...),
			VPCs: []VPC{{ID: vpc, CIDR: "10.0.0.0/16", IPv6CIDR: "2600:1f18:5e1:a700::/56",
				Tags: map[string]string{"Name": "simulated"}}},
			Subnets: []Subnet{
				{ID: "subnet-0a1b2c3d", VPC: vpc, Zone: "us-east-1a", CIDR: "10.0.0.0/18", IPv6CIDR: "2600:1f18:5e1:a700::/64"},
				{ID: "subnet-0a1b2c3e", VPC: vpc, Zone: "us-east-1b", CIDR: "10.0.64.0/18", IPv6CIDR: "2600:1f18:5e1:a701::/64"},
				{ID: "subnet-0a1b2c3f", VPC: vpc, Zone: "us-east-1c", CIDR: "10.0.128.0/18", IPv6CIDR: "2600:1f18:5e1:a702::/64"},
			},
			SecurityGroups:   []SecurityGroup{{ID: "sg-0a1b2c3d", Name: "nodes", VPC: vpc, Description: "machines of the simulated cluster"}},
			KeyPairs:         []KeyPair{{Name: "ops"}},
			InstanceProfiles: []InstanceProfile{{Name: "nodes"}},
		}},
	}.WithDefaults()
}

// WithDefaults returns a copy with derived values filled in: credential
// users, key pair IDs and instance profile ARNs.
func (w World) WithDefaults() World {
	w = w.Clone()
	for i := range w.Credentials {
		if w.Credentials[i].User == "" {
			w.Credentials[i].User = DefaultUser
		}
	}
	for i := range w.Regions {
		r := &w.Regions[i]
		for j := range r.KeyPairs {
			if r.KeyPairs[j].ID == "" {
				r.KeyPairs[j].ID = "key-" + digest(r.Name+"/"+r.KeyPairs[j].Name, 17)
			}
		}
		for j := range r.InstanceProfiles {
			if r.InstanceProfiles[j].ARN == "" {
				r.InstanceProfiles[j].ARN = ProfileARN(w.AccountID, r.InstanceProfiles[j].Name)
			}
		}
	}
	return w
}

// ProfileARN is the ARN of instance profile name in account.
func ProfileARN(account, name string) string {
	return "arn:aws:iam::" + account + ":instance-profile/" + name
}

// digest is n hex digits derived from s, for IDs that must be stable.
func digest(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}
