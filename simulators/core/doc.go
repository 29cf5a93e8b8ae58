// Package core is the cloud-independent heart of every simulator: an
// inventory of VMs with clock-driven state progressions, quotas, seeded
// fault rules, an eventual-consistency lag for reads, chaos actions, an
// event log of every call and state change, idempotency-token memory, and an
// ownership oracle that knows which cluster and machine each VM truly
// belongs to (so leaks and false deletions can be judged).
//
// States are computed lazily from the injected clock: a VM launched at t is
// pending until t+PendingFor(+jitter), then running. Nothing runs in the
// background, so a fake clock makes every run replay exactly.
//
// What it will never be: a model of networking, storage, billing or any
// API a machine driver does not call.
package core
