// Package ec2 is an EC2 front-end on the simulator core: it speaks the AWS
// Query protocol (form-encoded POST, XML answers in the 2016-11-15
// namespace) well enough that aws-sdk-go-v2/service/ec2 runs against it
// unchanged, with only its endpoint overridden (AWS_ENDPOINT_URL_EC2 or
// BaseEndpoint).
//
// What exists is a world (package world): one endpoint serves every region
// of it, the region of each request being the one its SigV4 credential
// scope names; a region the world lacks is refused with AuthFailure.
// Requests must carry a valid signature for one of the account's keys, or
// for temporary credentials the STS simulator issued from the same
// awsauth.Store, so wrong credentials fail as they do on AWS.
//
// Implemented actions: RunInstances, DescribeInstances, TerminateInstances,
// StopInstances, StartInstances, CreateTags, DeleteTags, DescribeImages,
// DescribeAvailabilityZones, DescribeVpcs, DescribeSubnets,
// DescribeSecurityGroups, DescribeKeyPairs, DescribeVolumes,
// ModifyNetworkInterfaceAttribute and AssignIpv6Addresses. Any other action
// fails loudly with InvalidAction naming it, and is logged.
//
// Design choices:
//   - The core models VMs only. Network interfaces live in the VM's
//     attributes and change through core.Cloud.UpdateAttrs; stopping and
//     stopped are derived lazily from a stop or start time and the clock
//     (power.go); volumes are a small store whose state follows the
//     instance they were launched with (volumes.go). Nothing runs in the
//     background.
//   - Options.StrictReferences decides whether RunInstances checks its
//     references against the world. It is off by default because callers
//     written before the world (and their fixtures) name subnets and groups
//     that no world holds; the cloud-simulator command turns it on.
//   - Private addresses come from the subnet's range and are unique across
//     the server, since Node names derive from them (ipam.go).
//
// Fault-rule attributes (core.FaultRule.Match) for every action: "Service"
// ("ec2"), "Action" and "Region"; for RunInstances also "InstanceType", "ImageId",
// "ClientToken", "Zone" and "tag:KEY" for each requested instance tag.
package ec2
