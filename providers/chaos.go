package providers

import "time"

// Chaos is implemented by simulators that can change the world behind a
// driver's back and know the truth about every VM. The conformance suite's
// safety specs and native-fault specs need it and skip, saying so, when a
// provider's simulator lacks it.
//
// Every method that takes a ProviderID accepts it in whatever form the
// driver under test returned (EC2 drivers use the zone or the region form):
// the simulator finds the VM by the ID in its last path segment. VMs the
// specs need (orphans, other clusters' VMs) are made through the driver
// under test, never by the simulator parsing a providerSpec, so these
// controls fit any driver that runs against the simulator.
type Chaos interface {
	// Duplicate makes a second running VM exactly like the one providerID
	// names (same tags, name and metadata, a new ID), as an eventually
	// consistent cloud or a retried create leaves behind. It returns the
	// new VM's ProviderID, in the form providerID has.
	Duplicate(providerID string) (string, error)
	// Vanish deletes a VM without trace.
	Vanish(providerID string) error
	// Kill makes a VM die on its own (crash, reclaim): it goes to
	// shutting-down and terminated, and its node stops being Ready.
	Kill(providerID string) error
	// Alive is the oracle: whether the VM is pending or running, even
	// where reads lag; known is false for a VM the cloud never had.
	Alive(providerID string) (alive, known bool)
	// Fail makes the next count calls that create VMs fail natively with
	// fault, as the cloud itself would (FaultAuth: every call). It returns
	// a function that removes the fault.
	Fail(fault Fault, count int) (remove func())
	// LiveVMs lists the ProviderIDs of every pending or running VM, in the
	// form the cloud's nodes carry.
	LiveVMs() []string
	// Lag makes reads eventually consistent: VMs younger than d are
	// missing from lists and lookups. It returns a function that restores
	// the previous lag.
	Lag(d time.Duration) (restore func())
}

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
