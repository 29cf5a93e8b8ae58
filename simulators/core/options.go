package core

import (
	"time"

	"k8s.io/utils/clock"
)

// Options configure a Cloud. The zero value is a cloud with the real clock,
// seed 0, instant transitions and no quota, faults or lag.
type Options struct {
	// Clock drives state progressions, lag and latency. Nil means the real clock.
	Clock clock.Clock
	// Seed makes IDs, jitter and fault probabilities replayable.
	Seed int64
	// Progression says how long VMs stay in transient states.
	Progression Progression
	// Quota limits live (pending or running) VMs. Zero fields mean unlimited.
	Quota Quota
	// ReadLag makes reads eventually consistent: a VM younger than ReadLag is
	// missing from lists and unknown to lookups by ID, as on real clouds.
	ReadLag time.Duration
	// Faults are the initial fault rules; see Cloud.AddFault.
	Faults []FaultRule
}

// Progression configures the state machine pending → running and
// shutting-down → terminated.
type Progression struct {
	// PendingFor is how long a launched VM stays pending.
	PendingFor time.Duration
	// Jitter adds a seeded random duration in [0, Jitter) to PendingFor.
	Jitter time.Duration
	// ShuttingDownFor is how long a terminated VM stays shutting-down.
	ShuttingDownFor time.Duration
	// TerminatedRetention is how long a terminated VM stays visible.
	// Zero means one hour, as on EC2.
	TerminatedRetention time.Duration
}

// Quota limits what live VMs may use.
type Quota struct {
	MaxInstances int
	MaxVCPUs     int
}
