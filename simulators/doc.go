// Package simulators holds in-process cloud simulators that speak each
// cloud's real wire API, so a driver built on the cloud's official SDK runs
// against them unchanged (only its endpoint is overridden).
//
// One core (package core: inventory, state progressions, clock, quotas,
// fault rules, eventual consistency, chaos, event log, ownership oracle,
// idempotency tokens) sits under thin per-cloud front-ends (package ec2,
// ...). Simulators know wire protocols and their core, never the controller
// or the conformance suite.
package simulators
