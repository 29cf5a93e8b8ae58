// Package altaws is a second AWS machine driver, written only for tests. It
// is built on aws-sdk-go-v2 like the reference driver in
// providers/aws/awsdriver, but independently of it, and it deliberately
// follows other conventions, as a third-party production driver would:
//
//   - its providerSpec has its own camelCase fields (imageId, instanceType,
//     subnetId, securityGroupIds, clusterName, nodeRole, rootVolumeGiB, ...)
//     and refuses unknown ones;
//   - its secret keys are accessKeyID, secretAccessKey and userData;
//   - it serves only MachineClasses whose provider is "AWS" (ClassProvider);
//   - its ProviderIDs name the region, aws:///<region>/<instance-id>, where
//     the reference driver and the simulated nodes name the zone.
//
// Running the conformance suite against both drivers shows that the suite
// checks MCM's contract and not the habits of our reference driver: any
// spec that passes only for awsdriver has baked in one of its conventions.
//
// What it shares with every real AWS driver is what the simulator's node
// joiner and the oracle rely on: the tags Name=<machine>,
// kubernetes.io/cluster/<clusterName>=1 and kubernetes.io/role/<nodeRole>=1
// set at launch, and node names that are the instances' private DNS names.
//
// RunInstances carries a client token hashed from the machine's cluster,
// namespace, name and UID, so a CreateMachine retried after a lost answer,
// even while reads lag and the lookup by tags misses the new VM, gets the
// VM already launched instead of a second one.
//
// The driver files never import a simulator: they reach EC2 (or the
// simulator at Options.Endpoint) over the wire. Only register.go, which
// describes the provider to the suite, names the simulator's default image
// and credentials. The package is not in the provider registry.
package altaws
