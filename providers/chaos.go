package providers

import (
	"encoding/json"
	"time"
)

// Chaos is implemented by simulators that can change the world behind a
// driver's back and know the truth about every VM. The conformance suite's
// safety specs and native-fault specs need it and skip, saying so, when a
// provider's simulator lacks it.
type Chaos interface {
	// InjectVM creates a running VM that no driver call created, as
	// CreateMachine would have created it for machineName with spec (a
	// providerSpec): an orphan when spec is the sample class's, a foreign
	// VM when it is ForeignProviderSpec. It returns the VM's ProviderID.
	InjectVM(spec json.RawMessage, machineName string) (string, error)
	// Vanish deletes a VM without trace.
	Vanish(providerID string) error
	// Kill makes a VM die on its own (crash, reclaim): it goes to
	// shutting-down and terminated, and its node stops being Ready.
	Kill(providerID string) error
	// Owner is the oracle: how the VM came to exist (OwnerManaged: through
	// the driver; OwnerInjected: InjectVM) and whether it is still alive
	// (pending or running), even where reads lag.
	Owner(providerID string) (kind OwnerKind, alive bool, known bool)
	// Fail makes the next count calls that create VMs fail natively with
	// fault, as the cloud itself would (FaultAuth: every call). It returns a function that removes
	// the fault.
	Fail(fault Fault, count int) (remove func())
	// LiveVMs lists the ProviderIDs of every pending or running VM.
	LiveVMs() []string
	// Lag makes reads eventually consistent: VMs younger than d are
	// missing from lists and lookups. It returns a function that restores
	// the previous lag.
	Lag(d time.Duration) (restore func())
}

// OwnerKind says how a VM came to exist.
type OwnerKind string

const (
	OwnerManaged  OwnerKind = "managed"
	OwnerInjected OwnerKind = "injected"
)

// Fault is a failure a cloud produces on its own.
type Fault string

const (
	// FaultThrottle: the cloud's rate limit (EC2 RequestLimitExceeded).
	FaultThrottle Fault = "throttle"
	// FaultCapacity: no capacity for the VM (EC2 InsufficientInstanceCapacity).
	FaultCapacity Fault = "capacity"
	// FaultQuota: an account limit (EC2 InstanceLimitExceeded).
	FaultQuota Fault = "quota"
	// FaultAuth: the cloud refuses the credentials (EC2 AuthFailure).
	FaultAuth Fault = "auth"
	// FaultLostResponse: the VM is created but the answer is lost (a 500
	// after the commit); a retry must not create a second VM.
	FaultLostResponse Fault = "lost-response"
)
