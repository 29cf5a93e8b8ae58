package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
)

// rule is one sentence of MCM's driver contract
// (docs/development/machine_error_codes.md in the MCM module), or of MCM's
// documented controller behaviour, that a spec enforces. Failures name it,
// so a provider engineer reads which promise broke, not only what was seen.
type rule struct {
	section string // the contract's section: a driver method, or "Logging"
	level   string // MUST, SHALL, SHOULD as the contract says it
	text    string // the sentence, abridged where marked with …
}

func (r rule) String() string { return fmt.Sprintf("%s %s: %q", r.section, r.level, r.text) }

// ruleEntry names the report entry that carries a spec's rule.
const ruleEntry = "RULE"

// enforce records the rule the running spec checks; the reports put it in
// front of the spec's failure.
func enforce(r rule) { AddReportEntry(ruleEntry, r.String(), ReportEntryVisibilityNever) }

// The rules, by method section of the contract.
var (
	ruleErrorScheme = rule{"Error Scheme", "MUST",
		"All provider API calls defined in this spec MUST return a machine error status"}
	ruleMessage = rule{"every method's errors", "MUST",
		"The status `message` MUST contain a human readable description of error, if the status `code` is not `OK`."}

	ruleCreateResponse = rule{"CreateMachine", "MUST",
		"`ProviderID` that uniquely identifys the VM at the provider … `NodeName` that is the expected name of the machine when it joins the cluster. It must match with the node name."}
	ruleCreateExisting = rule{"CreateMachine", "MUST",
		"If VM backing the `Machine.Name` already exists, and is compatible with the specified `Machine` object in the `CreateMachineRequest`, the Provider MUST reply `0 OK` with the corresponding `CreateMachineResponse`."}
	ruleProviderIDMatchesNode = rule{"CreateMachine", "SHOULD",
		"`ProviderID` … This is expected to match with the node.Spec.ProviderID on the node object."}
	ruleInvalidArgument = rule{"CreateMachine errors", "MUST",
		"3 INVALID_ARGUMENT: Re-check the supplied `Machine.Name` and `ProviderSpec`. Make sure all parameters are in permitted range of values. Exact issue to be given in `.message`"}
	ruleCreateCodes = rule{"CreateMachine errors", "MUST",
		"If the conditions defined below are encountered, the provider MUST return the specified machine error code."}

	ruleInitCodes = rule{"InitializeMachine errors", "MUST",
		"If the conditions defined below are encountered, the provider MUST return the specified machine error code. (OK, NOT_FOUND, UNIMPLEMENTED, INTERNAL, UNINITIALIZED)"}
	ruleInitResponse = rule{"InitializeMachine", "MUST",
		"The `InitializeMachineResponse` returned by this method is expected to return `ProviderID` … `NodeName` … It must match with the node name."}

	ruleDeleteAbsent = rule{"DeleteMachine", "MUST",
		"If a VM corresponding to the specified machine-object's name does not exist or the artifacts associated with the VM do not exist anymore (after deletion), the Provider MUST reply `0 OK`."}
	ruleDeleteMaps = rule{"DeleteMachine", "MUST",
		"The provider must have a unique way to map a `machine object` to a `VM` which triggers the deletion for the corresponding VM backing the machine object."}
	ruleOwnCluster = rule{"DeleteMachine, GetMachineStatus", "SHALL",
		"The provider SHALL only act on machines belonging to the cluster-id/cluster-name obtained from the `ProviderSpec`."}

	ruleStatusFilled = rule{"GetMachineStatus", "MUST",
		"If a VM corresponding to the specified machine object's `Machine.Name` exists on provider the `GetMachineStatusResponse` fields are to be filled similar to the `CreateMachineResponse`."}
	ruleStatusNotFound = rule{"GetMachineStatus errors", "MUST",
		"5 NOT_FOUND: The machine could not be found at provider"}
	ruleStatusOutOfRange = rule{"GetMachineStatus errors", "MUST",
		"11 OUT_OF_RANGE: Multiple VMs found with matching machine object names"}

	ruleListAll = rule{"ListMachines", "SHALL",
		"The Provider SHALL return the information about all the machines associated with the `MachineClass`."}
	ruleListMap = rule{"ListMachines", "MUST",
		"Key is expected to contain the `ProviderID` & Value is expected to contain the `Machine.Name` corresponding to it's kubernetes machine CR object"}

	ruleVolumeIDs = rule{"GetVolumeIDs", "MUST",
		"On succesful returnal of a list of `Volume-IDs` for all supplied `PVSpecs`, the Provider MUST reply `0 OK`."}

	ruleNoSecretsInLogs = rule{"Logging", "SHOULD NOT (enforced as MUST: a leaked credential cannot be taken back)",
		"Providers SHOULD NOT write potentially sensitive data to logs (e.g. secrets)."}

	// MCM's controller behaviour the provider's driver must support end to end.
	ruleLifecycle = rule{"Machine Provider Interface", "MUST",
		"The provider MUST have a unique way to map a `machine object` to a `VM` which triggers the deletion for the corresponding VM backing the machine object."}
	ruleOrphans = rule{"ListMachines", "SHALL",
		"This optional driver call helps in cleaning up orphan VMs present in the cluster."}
	ruleFinalizers = rule{"MCM controller", "MUST",
		"a MachineClass and its Secret are held by finalizers while machines use them, and released after"}
	ruleRBAC = rule{"MCM controller", "MUST",
		"the machine controller works with the permissions of its shipped ClusterRole"}
)
