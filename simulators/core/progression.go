package core

import "time"

// progress moves a VM through the states its age allows at now, recording
// each transition at the moment it happened. Callers hold c.mu.
func (c *Cloud) progress(vm *VM, now time.Time) {
	p := c.opts.Progression
	for {
		switch vm.state {
		case Pending:
			at := vm.LaunchTime.Add(vm.readyAfter)
			if now.Before(at) {
				return
			}
			c.setState(vm, Running, at)
		case ShuttingDown:
			at := vm.stateSince.Add(p.ShuttingDownFor)
			if now.Before(at) {
				return
			}
			c.setState(vm, Terminated, at)
		case Terminated:
			if now.Sub(vm.stateSince) >= p.TerminatedRetention {
				c.tags.remove(vm.ID, vm.Tags)
				delete(c.vms, vm.ID)
				c.record(Event{Kind: KindState, VMID: vm.ID, Detail: "expunged"})
			}
			return
		default:
			return
		}
	}
}

func (c *Cloud) setState(vm *VM, s State, at time.Time) {
	vm.state, vm.stateSince = s, at
	c.record(Event{Kind: KindState, VMID: vm.ID, Detail: string(s), Time: at})
}
