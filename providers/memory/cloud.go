package memory

import (
	"fmt"
	"maps"
	"sort"
	"sync"
)

// VM is one virtual machine of the memory cloud.
type VM struct {
	ID          string
	ProviderID  string
	Cluster     string
	Role        string
	Zone        string
	Size        string
	MachineName string
	State       string
	Tags        map[string]string
}

// StateRunning is the state of every VM the memory cloud holds: a VM is
// created running and vanishes when deleted.
const StateRunning = "running"

// Cloud is the memory cloud's inventory. It is safe for concurrent use and
// may be shared by several drivers, and by tests that need to change the
// world behind a driver's back (orphans, foreign VMs, vanished VMs).
type Cloud struct {
	mu   sync.Mutex
	next uint32
	vms  map[string]*VM // by provider ID
}

// NewCloud returns an empty cloud.
func NewCloud() *Cloud { return &Cloud{vms: map[string]*VM{}} }

// nextID returns "vm-" and 8 hex digits: the cloud's counter passed
// through a bijection of uint32, so IDs look arbitrary, never repeat
// within a cloud, and are the same sequence in every run. Callers hold c.mu.
func (c *Cloud) nextID() string {
	c.next++
	x := c.next
	x ^= x >> 16
	x *= 0x7feb352d
	x ^= x >> 15
	x *= 0x846ca68b
	x ^= x >> 16
	return fmt.Sprintf("vm-%08x", x)
}

// add stores a new, running VM; callers hold c.mu.
func (c *Cloud) add(vm VM) *VM {
	vm.ID = c.nextID()
	vm.State = StateRunning
	vm.ProviderID = fmt.Sprintf("memory:///%s/%s", vm.Zone, vm.ID)
	stored := vm
	c.vms[vm.ProviderID] = &stored
	return &stored
}

// AddVM puts a VM into the cloud as if someone else created it, and returns
// its provider ID: an orphan (cluster of ours, no Machine), a foreign
// cluster's VM, or a duplicate for a machine name.
func (c *Cloud) AddVM(cluster, machineName, zone string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if zone == "" {
		zone = "zone-a"
	}
	return c.add(VM{Cluster: cluster, Role: "worker", Zone: zone, Size: "small", MachineName: machineName}).ProviderID
}

// Remove makes a VM vanish, as if deleted outside the controller's knowledge.
func (c *Cloud) Remove(providerID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.vms, providerID)
}

// VMs returns a snapshot of all VMs, ordered by provider ID.
func (c *Cloud) VMs() []VM {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]VM, 0, len(c.vms))
	for _, vm := range c.vms {
		v := *vm
		v.Tags = maps.Clone(vm.Tags)
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ProviderID < out[j].ProviderID })
	return out
}

// byMachine returns the VMs of cluster that carry machineName; callers hold c.mu.
func (c *Cloud) byMachine(cluster, machineName string) []*VM {
	var out []*VM
	for _, vm := range c.vms {
		if vm.Cluster == cluster && vm.MachineName == machineName {
			out = append(out, vm)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ProviderID < out[j].ProviderID })
	return out
}
