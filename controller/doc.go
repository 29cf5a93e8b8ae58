// Package controller is a small reference machine controller: it drives any
// MCM driver.Driver through the machine lifecycle the way machine-controller-
// manager does, and nothing more.
//
// It reconciles Machines (create, initialize, node join, health, delete),
// MachineSets (replica count and replacement of Failed machines),
// MachineClasses and their credential Secrets (finalizers while referenced),
// and runs the orphan-VM safety sweep. Driver errors are classified by type
// (recovery.go) and handled as MCM's controller handles their codes
// (machine_policy.go). A machine's Node is the one its
// "node" label names (the NodeName the driver returned), as MCM finds it; a
// node carrying another spec.providerID earns a Warning event, not a wait.
//
// It follows MCM v0.62.1's machine controller where a provider engineer can
// observe it: CrashLoopBackOff and MCM's per-code retry periods
// (machine_policy.go), node health with MCM's bad conditions and taint, a
// machine deleted with its node, a safety sweep that looks VMs up by the
// machine name ListMachines reports, MachineSets that never replace a
// machine in CrashLoopBackOff.
//
// Deliberate differences, each because this controller must run on an
// injected clock and stay small: timeouts and retry periods are measured on
// Options.Clock from when the machine was first set Pending (or
// CrashLoopBackOff), not from metadata.creationTimestamp; Failed is terminal; InitializeMachine is retried from an
// annotation rather than from GetMachineStatus answering Uninitialized; each
// driver call has a deadline. Out of scope: draining nodes before deletion,
// MachineDeployments, in-place updates, machine preservation, userData
// placeholders and bootstrap tokens. The controller is meant to be read and
// to exercise drivers, not to replace machine-controller-manager.
package controller
