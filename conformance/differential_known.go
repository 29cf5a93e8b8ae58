package conformance

import "strings"

// knownDifference is a way the reference controller deliberately or
// unavoidably differs from MCM's, observable in a machine's trace. Each is
// listed in the README's table of differences under its ID (a test holds
// them in step); apply rewrites both traces so that the difference no
// longer shows, and reports whether it changed anything.
type knownDifference struct {
	ID, Summary, Reason string
	apply               func(ref, mcm *machineTrace) bool
}

// knownDifferences are applied in order to every machine compared.
var knownDifferences = []knownDifference{
	{
		ID:      "create-confirm",
		Summary: "MCM calls GetMachineStatus once more after creating a VM, before it sets Pending",
		Reason: "MCM's create flow returns after CreateMachine and InitializeMachine with the phase still empty, and its next pass " +
			"finds the VM with GetMachineStatus and only then writes Pending; the reference writes the status in the pass that " +
			"created the VM. Both make one VM; the extra call is a read.",
		apply: func(_, mcm *machineTrace) bool {
			for i := 1; i < len(mcm.Calls); i++ {
				prev := mcm.Calls[i-1]
				if mcm.Calls[i] == "GetMachineStatus:OK" &&
					(prev == "CreateMachine:OK" || strings.HasPrefix(prev, "InitializeMachine:")) {
					mcm.Calls = append(mcm.Calls[:i], mcm.Calls[i+1:]...)
					return true
				}
			}
			return false
		},
	},
}
