// Package ec2 is an EC2 front-end on the simulator core: it speaks the AWS
// Query protocol (form-encoded POST, XML answers in the 2016-11-15
// namespace) well enough that aws-sdk-go-v2/service/ec2 runs against it
// unchanged, with only its endpoint overridden (AWS_ENDPOINT_URL_EC2 or
// BaseEndpoint).
//
// Requests must carry a valid SigV4 signature for one of the configured
// key pairs, so wrong credentials fail as they do on AWS (AuthFailure).
// Implemented actions: RunInstances, DescribeInstances, TerminateInstances,
// CreateTags, DeleteTags, DescribeImages, DescribeAvailabilityZones. Any
// other action fails loudly with InvalidAction naming it, and is logged.
//
// Fault-rule attributes (core.FaultRule.Match) for every action: "Action";
// for RunInstances also "InstanceType", "ImageId", "ClientToken", "Zone" and
// "tag:KEY" for each requested instance tag.
package ec2
