package controller

import (
	"cmp"
	"errors"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"k8s.io/utils/clock"
)

// Defaults match machine-controller-manager's own.
const (
	DefaultCreationTimeout   = 20 * time.Minute
	DefaultHealthTimeout     = 10 * time.Minute
	DefaultSafetySweepPeriod = 15 * time.Minute
	DefaultPollInterval      = 30 * time.Second
	DefaultDriverCallTimeout = 5 * time.Minute
	DefaultRetryInterval     = 5 * time.Second
	DefaultWorkers           = 50
)

// Options configure the reference controller. The zero value of every field
// but Driver is usable and means the default named in its comment.
type Options struct {
	// Driver is the provider's MCM driver. Required.
	Driver driver.Driver

	// Namespace restricts the controller to Machines, MachineSets and
	// MachineClasses in one namespace. Empty means all namespaces. The
	// manager's cache should watch that namespace only too (see
	// CacheOptions): the controller ignores the rest, but a cache of every
	// namespace still costs memory.
	Namespace string

	// Clock decides every timeout and drives the safety sweep.
	// Nil means the real clock; tests pass a k8s.io/utils/clock/testing.FakeClock.
	Clock clock.WithTicker

	// CreationTimeout bounds how long a machine may stay Pending before it is
	// marked Failed. Zero means DefaultCreationTimeout (20 min).
	CreationTimeout time.Duration

	// HealthTimeout bounds how long a machine may stay Unknown (its node not
	// Ready, or gone) before it is marked Failed. Zero means DefaultHealthTimeout (10 min).
	HealthTimeout time.Duration

	// SafetySweepPeriod is how often, on Clock, the orphan-VM sweep runs.
	// Zero means DefaultSafetySweepPeriod (15 min); negative disables the
	// periodic sweep (SafetySweep.Sweep can still be called directly).
	SafetySweepPeriod time.Duration

	// PollInterval is the longest real time a Pending or Unknown machine waits
	// before it is looked at again. Its timeouts and retry periods end by
	// timers on Clock (a fake clock's step ends them too), and node, class
	// and secret events wake it, so this is a safety net. Zero means
	// DefaultPollInterval (30 s).
	PollInterval time.Duration

	// RetryInterval is the first delay before retrying a driver call that
	// failed with a retryable code; it doubles per attempt up to PollInterval
	// times ten. Zero means DefaultRetryInterval (5 s).
	RetryInterval time.Duration

	// DriverCallTimeout bounds each driver call. Zero means DefaultDriverCallTimeout (5 min).
	DriverCallTimeout time.Duration

	// The waits, on Clock, before a failed driver call is tried again, as
	// MCM's machine controller waits. ShortRetry (zero: 5 s) follows the
	// transient codes (Unknown, DeadlineExceeded, Aborted, Unavailable) and
	// InitializeMachine errors; MediumRetry (zero: 3 min) every other code
	// of the create flow; ResourceExhaustedRetry (zero: 10 min, MCM's
	// --resource-exhausted-retry) ResourceExhausted; LongRetry (zero:
	// 10 min) a DeleteMachine that failed with a code needing a human.
	ShortRetry, MediumRetry, LongRetry, ResourceExhaustedRetry time.Duration

	// Workers is how many machines are reconciled at once (MCM's
	// --concurrent-syncs); driver calls of different machines overlap, those
	// of one machine never do. Zero means DefaultWorkers (50, as MCM).
	Workers int

	// NodeConditions make a node unhealthy when True or Unknown (MCM's
	// --node-conditions); a Machine's spec.nodeConditions overrides them.
	// Nil means DefaultNodeConditions.
	NodeConditions []string
}

// ErrNoDriver is returned by Setup when Options.Driver is nil.
var ErrNoDriver = errors.New("controller: Options.Driver is required")

func (o Options) withDefaults() (Options, error) {
	if o.Driver == nil {
		return o, ErrNoDriver
	}
	if o.Clock == nil {
		o.Clock = clock.RealClock{}
	}
	o.CreationTimeout = cmp.Or(o.CreationTimeout, DefaultCreationTimeout)
	o.HealthTimeout = cmp.Or(o.HealthTimeout, DefaultHealthTimeout)
	o.SafetySweepPeriod = cmp.Or(o.SafetySweepPeriod, DefaultSafetySweepPeriod)
	o.PollInterval = cmp.Or(o.PollInterval, DefaultPollInterval)
	o.RetryInterval = cmp.Or(o.RetryInterval, DefaultRetryInterval)
	o.DriverCallTimeout = cmp.Or(o.DriverCallTimeout, DefaultDriverCallTimeout)
	o.ShortRetry = cmp.Or(o.ShortRetry, DefaultShortRetry)
	o.MediumRetry = cmp.Or(o.MediumRetry, DefaultMediumRetry)
	o.LongRetry = cmp.Or(o.LongRetry, DefaultLongRetry)
	o.ResourceExhaustedRetry = cmp.Or(o.ResourceExhaustedRetry, DefaultResourceExhaustedRetry)
	o.Workers = cmp.Or(o.Workers, DefaultWorkers)
	if o.NodeConditions == nil {
		o.NodeConditions = DefaultNodeConditions
	}
	return o, nil
}
