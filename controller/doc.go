// Package controller is a small reference machine controller: it drives any
// MCM driver.Driver through the machine lifecycle the way machine-controller-
// manager does, and nothing more.
//
// It reconciles Machines (create, initialize, node join, health, delete),
// MachineSets (replica count and replacement of Failed machines),
// MachineClasses and their credential Secrets (finalizers while referenced),
// and runs the orphan-VM safety sweep. Every driver error is mapped to the
// recovery that MCM's contract (docs/development/machine_error_codes.md)
// prescribes for its code; see recovery.go. A machine's Node is the one its
// "node" label names (the NodeName the driver returned), as MCM finds it; a
// node carrying another spec.providerID earns a Warning event, not a wait.
//
// Out of scope, on purpose: draining nodes before deletion (the controller
// deletes the VM and the Node directly), MachineDeployments (rolling updates),
// in-place updates and machine preservation. The controller is meant to be
// read and to exercise drivers, not to replace machine-controller-manager.
package controller
