package core

import (
	"fmt"
	"maps"
	"sort"
	"time"
)

// Kill makes a VM die on its own: it goes shutting-down now and terminated
// after Progression.ShuttingDownFor, as a crashed or reclaimed VM does.
func (c *Cloud) Kill(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	vm, ok := c.vms[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	now := c.clock.Now()
	c.progress(vm, now)
	c.record(Event{Kind: KindChaos, VMID: id, Detail: "kill"})
	if vm.alive() {
		c.setState(vm, ShuttingDown, now)
	}
	return nil
}

// Vanish removes a VM without a trace in any listing, as if deleted behind
// everyone's back.
func (c *Cloud) Vanish(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	vm, ok := c.vms[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	c.tags.remove(id, vm.Tags)
	delete(c.vms, id)
	c.record(Event{Kind: KindChaos, VMID: id, Detail: "vanish"})
	return nil
}

// Inject creates a running VM that no API call launched: an orphan of a
// cluster (owner.Kind Orphan) or another cluster's VM (Foreign). It is
// visible at once, whatever ReadLag says.
func (c *Cloud) Inject(spec LaunchSpec) VM {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	vm := &VM{
		ID: c.newIDLocked(spec.IDPrefix, spec.IDDigits), Zone: spec.Zone, InstanceType: spec.InstanceType,
		VCPUs: spec.VCPUs, ImageID: spec.ImageID, Tags: maps.Clone(spec.Tags), Attrs: maps.Clone(spec.Attrs),
		LaunchTime: now.Add(-c.opts.ReadLag), Owner: spec.Owner, state: Running, stateSince: now,
	}
	c.vms[vm.ID] = vm
	c.owners[vm.ID] = spec.Owner
	c.tags.add(vm.ID, vm.Tags)
	c.record(Event{Kind: KindChaos, VMID: vm.ID, Detail: "inject " + string(spec.Owner.Kind)})
	return vm.clone()
}

// Owner is the oracle: who truly owns VM id, even after the VM is gone.
func (c *Cloud) Owner(id string) (Owner, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, ok := c.owners[id]
	return o, ok
}

// Live returns the VMs that are pending or running, whatever ReadLag says:
// the oracle's view, for leak checks.
func (c *Cloud) Live() []VM {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	var out []VM
	for _, vm := range c.vms {
		c.progress(vm, now)
		if vm.alive() {
			out = append(out, vm.clone())
		}
	}
	return out
}

// Visit calls fn with every VM in the inventory, whatever ReadLag says, in
// no order, without copying their tags, attributes or user data: fn runs
// under the cloud's lock, so it must not call the cloud, and must not keep
// or change the VM's maps and slices. For readers of large inventories
// that Snapshot's copies would cost too much.
func (c *Cloud) Visit(fn func(VM)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	for _, vm := range c.vms {
		c.progress(vm, now)
		if _, still := c.vms[vm.ID]; still {
			fn(*vm)
		}
	}
}

// Snapshot returns every VM in the inventory, whatever ReadLag says, ordered
// by ID: the world as it is, for the node registrar and the oracle.
func (c *Cloud) Snapshot() []VM {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	out := make([]VM, 0, len(c.vms))
	for _, vm := range c.vms {
		c.progress(vm, now)
		if _, still := c.vms[vm.ID]; still {
			out = append(out, vm.clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SetReadLag changes the eventual-consistency lag of reads from now on
// (see Options.ReadLag) and returns the previous value.
func (c *Cloud) SetReadLag(d time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev := c.opts.ReadLag
	c.opts.ReadLag = d
	return prev
}

// OwnedVM is one VM the oracle knows of, alive or gone.
type OwnedVM struct {
	ID    string
	Owner Owner
	Alive bool
}

// Census lists every VM the cloud ever had, ordered by ID, with its true
// owner and whether it is pending or running now, whatever ReadLag says.
func (c *Cloud) Census() []OwnedVM {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	out := make([]OwnedVM, 0, len(c.owners))
	for id, o := range c.owners {
		alive := false
		if vm, ok := c.vms[id]; ok {
			c.progress(vm, now)
			if _, still := c.vms[id]; still {
				alive = vm.alive()
			}
		}
		out = append(out, OwnedVM{ID: id, Owner: o, Alive: alive})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
