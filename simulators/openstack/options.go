package openstack

import (
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Options configure a Server. Every zero field means the default named in
// its comment, so Options{} serves a fresh core.Cloud with one user, one
// application credential, one project, the Default* catalogue and no
// quotas beyond the core's.
type Options struct {
	// Cloud holds the servers; nil means core.New(core.Options{}). Its
	// Quota is Nova's instances (MaxInstances) and cores (MaxVCPUs) quota,
	// and its Progression times BUILD → ACTIVE and the deletion of servers.
	Cloud *core.Cloud
	// Region every catalog endpoint is in. Default "RegionOne".
	Region string
	// Zones are the availability zones of Nova and Cinder. Default ["nova"].
	Zones []string
	// Domain users and the project live in. Default DefaultDomain.
	Domain Domain
	// Project every token is scoped to. Default DefaultProject.
	Project Project
	// Users may log in with a password. Default [DefaultUser].
	Users []User
	// ApplicationCredentials may log in with an ID (or name) and secret.
	// Default [DefaultApplicationCredential].
	ApplicationCredentials []ApplicationCredential
	// TokenLifetime is how long a token stays valid on the cloud's clock.
	// Default one hour, as Keystone's.
	TokenLifetime time.Duration
	// Flavors Nova offers. Default DefaultFlavors.
	Flavors []Flavor
	// Images Glance (and Nova's image proxy) offer. Default [DefaultImage].
	Images []Image
	// Networks Neutron offers, with their subnets. Default [DefaultNetwork].
	Networks []Network
	// SecurityGroups Neutron offers. Default [DefaultSecurityGroup].
	SecurityGroups []SecurityGroup
	// KeyPairs Nova knows by name. Nil accepts any key_name; an empty,
	// non-nil slice accepts none.
	KeyPairs []string
	// VolumeTypes Cinder offers; the first is the default. Default
	// ["__DEFAULT__"].
	VolumeTypes []string
	// Quotas limit ports and volumes; zero fields mean unlimited.
	Quotas Quotas
	// VolumeProgression times Cinder's transient volume states. Zero
	// durations make the transitions instant.
	VolumeProgression VolumeProgression
}

// Domain is a Keystone domain.
type Domain struct{ ID, Name string }

// Project is a Keystone project (tenant).
type Project struct{ ID, Name string }

// User is a Keystone user of Options.Domain who logs in with a password.
type User struct{ ID, Name, Password string }

// ApplicationCredential is a Keystone application credential of a user
// (by user ID); it authenticates by ID and secret, or by name, secret and user.
type ApplicationCredential struct{ ID, Name, Secret, UserID string }

// Flavor is a Nova flavor. RAM is in MiB, Disk in GiB.
type Flavor struct {
	ID, Name         string
	VCPUs, RAM, Disk int
}

// Image is a Glance image. MinDisk is in GiB, MinRAM in MiB.
type Image struct {
	ID, Name        string
	MinDisk, MinRAM int
}

// Network is a Neutron network with its subnets.
type Network struct {
	ID, Name string
	Subnets  []Subnet
}

// Subnet is an IPv4 subnet of a network; addresses are handed out in order
// from CIDR, skipping the network address and the gateway.
type Subnet struct {
	ID, Name, CIDR, GatewayIP string
}

// SecurityGroup is a Neutron security group.
type SecurityGroup struct{ ID, Name string }

// Quotas limit Neutron ports and Cinder volumes and gigabytes. Nova's
// instances and cores quotas are the core cloud's (core.Options.Quota).
type Quotas struct {
	Ports, Volumes, Gigabytes int
}

// VolumeProgression says how long volumes stay creating and deleting.
type VolumeProgression struct {
	Creating, Deleting time.Duration
}
