// Package world describes the simulated AWS account as data: its account
// ID and access keys, and per region the availability zones, images,
// instance types, VPCs, subnets, security groups, key pairs, instance
// profiles and quotas. The EC2 simulator serves whatever world it is given,
// so a scenario can say "this account has two regions and no IPv6" in a
// file instead of in code.
//
// A world comes from a Go value (Default, or a literal) or from YAML (Load,
// LoadFile). Loading is strict: unknown fields, values of the wrong kind,
// malformed EC2 IDs, duplicate IDs, references to things that do not exist
// and subnets outside their VPC are all refused, each error naming the file
// and line, as a compiler would:
//
//	world.yaml:14: subnet "subnet-1" names VPC "vpc-9" that does not exist
//
// YAML is decoded through the yaml.v3 node API rather than straight into
// the structs, for two reasons: nodes carry line numbers, and walking them
// against the struct types lets us report unknown fields and wrong kinds
// ourselves, as structured errors, instead of parsing yaml's error text.
//
// The world is read-only to the simulator: there is no CreateSubnet. What a
// test needs to exist is written down before the simulator starts, and
// Marshal prints it back so a person can see what exists.
package world
