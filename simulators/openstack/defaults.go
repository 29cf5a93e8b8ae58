package openstack

import (
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// The identity a Server with zero Options accepts. Keystone names users,
// projects and domains by 32 hex digits; the other services use UUIDs.
var (
	DefaultDomain  = Domain{ID: "default", Name: "Default"}
	DefaultProject = Project{ID: "5c0ffee0d1e5e1ec7ab1e5000000cafe", Name: "simulated-project"}
	DefaultUser    = User{ID: "7e57ab1e0000000000000000000005e7", Name: "simulator",
		Password: "simulator/password/do-not-use-elsewhere"}
	DefaultApplicationCredential = ApplicationCredential{ID: "a99c7ed00000000000000000000000c7",
		Name: "simulator-appcred", Secret: "simulator/appcred/secret", UserID: DefaultUser.ID}
)

// DefaultFlavors are DevStack's m1 flavors.
var DefaultFlavors = []Flavor{
	{ID: "1", Name: "m1.tiny", VCPUs: 1, RAM: 512, Disk: 1},
	{ID: "2", Name: "m1.small", VCPUs: 1, RAM: 2048, Disk: 20},
	{ID: "3", Name: "m1.medium", VCPUs: 2, RAM: 4096, Disk: 40},
	{ID: "4", Name: "m1.large", VCPUs: 4, RAM: 8192, Disk: 80},
	{ID: "5", Name: "m1.xlarge", VCPUs: 8, RAM: 16384, Disk: 160},
}

// DefaultImage is the image every default server knows.
var DefaultImage = Image{ID: "0e11ad7e-5e1f-4a11-9c0d-000000000001", Name: "simulated-linux", MinDisk: 1}

// DefaultNetwork is a tenant network with one /16 subnet (65,533 addresses).
var DefaultNetwork = Network{ID: "ae7d0e5e-0000-4000-8000-00000000ae70", Name: "private",
	Subnets: []Subnet{{ID: "5ab0e700-0000-4000-8000-000000005ab0", Name: "private-subnet",
		CIDR: "10.0.0.0/16", GatewayIP: "10.0.0.1"}}}

// DefaultSecurityGroup is the project's "default" group.
var DefaultSecurityGroup = SecurityGroup{ID: "5ec90000-0000-4000-8000-00000000de0f", Name: "default"}

// withDefaults fills every zero field of opts.
func withDefaults(opts Options) Options {
	if opts.Cloud == nil {
		opts.Cloud = core.New(core.Options{})
	}
	if opts.Region == "" {
		opts.Region = "RegionOne"
	}
	if len(opts.Zones) == 0 {
		opts.Zones = []string{"nova"}
	}
	if opts.Domain == (Domain{}) {
		opts.Domain = DefaultDomain
	}
	if opts.Project == (Project{}) {
		opts.Project = DefaultProject
	}
	if opts.Users == nil {
		opts.Users = []User{DefaultUser}
	}
	if opts.ApplicationCredentials == nil {
		opts.ApplicationCredentials = []ApplicationCredential{DefaultApplicationCredential}
	}
	if opts.TokenLifetime == 0 {
		opts.TokenLifetime = time.Hour
	}
	if opts.Flavors == nil {
		opts.Flavors = DefaultFlavors
	}
	if opts.Images == nil {
		opts.Images = []Image{DefaultImage}
	}
	if opts.Networks == nil {
		opts.Networks = []Network{DefaultNetwork}
	}
	if opts.SecurityGroups == nil {
		opts.SecurityGroups = []SecurityGroup{DefaultSecurityGroup}
	}
	if len(opts.VolumeTypes) == 0 {
		opts.VolumeTypes = []string{"__DEFAULT__"}
	}
	return opts
}
