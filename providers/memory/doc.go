// Package memory is the reference in-memory provider: a driver that keeps
// its VMs in a Cloud held in process memory and honours MCM's driver
// contract to the letter (idempotent create, OK for deleting an absent VM,
// NotFound and OutOfRange from GetMachineStatus, ListMachines scoped to the
// cluster, typed machine codes for every error).
//
// It is the baseline the suite and the controller tests run against, and
// the default provider until cloud simulators exist. It is not a cloud
// simulator: there is no wire protocol, no SDK and no fault injection beyond
// quota and credentials, so passing with it proves the harness, not a cloud
// driver.
package memory
