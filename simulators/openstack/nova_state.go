package openstack

import (
	"encoding/json"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Keys of the server fields Nova keeps beyond the core's VM (core.VM.Attrs).
const (
	// AttrName is the server's name (Nova names need not be unique).
	AttrName       = "name"
	attrFlavorID   = "flavor_id"
	attrKeyName    = "key_name"
	attrAddresses  = "addresses"       // JSON []serverAddress
	attrGroups     = "security_groups" // JSON []string of names
	attrVolumes    = "volumes"         // JSON []attachedVolume
	attrFault      = "fault"           // set when the build failed (NoValidHost)
	attrConfigDisk = "config_drive"
)

// serverAddress is one fixed IP of a server, on a port of a network.
type serverAddress struct {
	Network string `json:"network"`
	IP      string `json:"ip"`
	MAC     string `json:"mac"`
	PortID  string `json:"port_id"`
	// Owned ports were created by Nova for the server and die with it.
	Owned bool `json:"owned"`
}

// attachedVolume is a Cinder volume a server boots from or uses.
type attachedVolume struct {
	ID                  string `json:"id"`
	Device              string `json:"device"`
	DeleteOnTermination bool   `json:"delete_on_termination"`
}

func addressesOf(vm core.VM) []serverAddress {
	var out []serverAddress
	_ = json.Unmarshal([]byte(vm.Attrs[attrAddresses]), &out)
	return out
}

func volumesOf(vm core.VM) []attachedVolume {
	var out []attachedVolume
	_ = json.Unmarshal([]byte(vm.Attrs[attrVolumes]), &out)
	return out
}

func groupsOf(vm core.VM) []string {
	var out []string
	_ = json.Unmarshal([]byte(vm.Attrs[attrGroups]), &out)
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// novaState is how Nova shows a VM's core state.
type novaState struct {
	status     string  // ACTIVE, BUILD, ERROR, SHUTOFF
	vmState    string  // OS-EXT-STS:vm_state
	taskState  *string // OS-EXT-STS:task_state
	powerState int     // 0 NOSTATE, 1 RUNNING, 4 SHUTDOWN
	gone       bool    // deleted: Nova answers 404 and lists it no more
}

var (
	taskSpawning = "spawning"
	taskDeleting = "deleting"
)

// stateOf maps the core's lifecycle to Nova's: pending is BUILD, running
// is ACTIVE (ERROR when the build failed), shutting-down is the deletion
// the API started (the status the server had, task_state deleting) or,
// for a VM that died on its own, SHUTOFF; terminated servers are gone.
func (s *Server) stateOf(vm core.VM) novaState {
	failed := vm.Attrs[attrFault] != ""
	switch vm.State() {
	case core.Pending:
		return novaState{status: "BUILD", vmState: "building", taskState: &taskSpawning}
	case core.Running:
		if failed {
			return novaState{status: "ERROR", vmState: "error"}
		}
		return novaState{status: "ACTIVE", vmState: "active", powerState: 1}
	case core.ShuttingDown:
		if st, ok := s.deletingState(vm.ID); ok {
			return st
		}
		return novaState{status: "SHUTOFF", vmState: "stopped", powerState: 4}
	}
	return novaState{status: "DELETED", vmState: "deleted", gone: true}
}

// ownerOf reads the oracle's truth from launch metadata: the cluster from
// a kubernetes.io-cluster-<name> key (as MCM's OpenStack driver writes it;
// the kubernetes.io/cluster/<name> form counts too), the machine from the
// server name.
func ownerOf(name string, metadata map[string]string) core.Owner {
	o := core.Owner{Kind: core.Managed, Machine: name}
	for k := range metadata {
		for _, prefix := range []string{"kubernetes.io-cluster-", "kubernetes.io/cluster/"} {
			if c, ok := strings.CutPrefix(k, prefix); ok {
				o.Cluster = c
			}
		}
	}
	return o
}
