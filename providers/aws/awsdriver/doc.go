// Package awsdriver is the reference AWS machine driver, written on
// aws-sdk-go-v2 against EC2's documented semantics. It never imports a
// simulator: pointed at one (Options.Endpoint), it proves the simulator
// speaks EC2; pointed at AWS, it is an ordinary driver.
//
// Ownership is by tags, as MCM's AWS provider does it: every VM carries the
// providerSpec's kubernetes.io/cluster/<id> and kubernetes.io/role/<role>
// tags and Name=<machine name>. ProviderIDs are aws:///<zone>/<instance-id>,
// node names the instances' private DNS names. RunInstances carries a client
// token derived from the machine's identity, so a retried create, even
// across controller restarts, never launches a second VM.
package awsdriver
