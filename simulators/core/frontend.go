package core

import (
	"fmt"
	"maps"
)

// UpdateAttrs changes VM id's front-end attributes after launch (a network
// interface's groups, a stop or start EC2 models on top of the core's
// states) and returns the VM as it is afterwards. mutate runs under the
// cloud's lock and must not call the cloud. It sees the VM whatever ReadLag
// says: front-ends check visibility with Get first when a client asks.
func (c *Cloud) UpdateAttrs(id string, mutate func(attrs map[string]string)) (VM, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	vm, ok := c.vms[id]
	if !ok {
		return VM{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	c.progress(vm, c.clock.Now())
	if _, still := c.vms[id]; !still {
		return VM{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	attrs := maps.Clone(vm.Attrs)
	if attrs == nil {
		attrs = map[string]string{}
	}
	mutate(attrs)
	vm.Attrs = attrs
	return vm.clone(), nil
}

// Progression returns the state timings the cloud was built with, for
// front-ends that model further states (EC2's stopping and stopped) on the
// same clock.
func (c *Cloud) Progression() Progression {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opts.Progression
}
