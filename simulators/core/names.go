package core

import (
	"errors"
	"fmt"
)

// ErrNameTaken: a caller-chosen name is held by a VM that is not
// terminated (GCE answers 409 alreadyExists, Azure updates in place).
var ErrNameTaken = errors.New("name taken")

// nameTakenLocked says whether name belongs to a VM that is still alive;
// the cloud's lock is held.
func (c *Cloud) nameTakenLocked(name string) bool {
	id, ok := c.names[name]
	if !ok {
		return false
	}
	vm, ok := c.vms[id]
	if !ok {
		return false
	}
	c.progress(vm, c.clock.Now())
	_, still := c.vms[id]
	return still && vm.alive()
}

// checkNameLocked refuses a launch whose name is taken, atomically with
// the launch itself (the lock is held from check to insert).
func (c *Cloud) checkNameLocked(spec LaunchSpec) error {
	if spec.Name == "" {
		return nil
	}
	if spec.Count > 1 {
		return fmt.Errorf("launching %d VMs under one name %q: a named launch makes one VM", spec.Count, spec.Name)
	}
	if c.nameTakenLocked(spec.Name) {
		return fmt.Errorf("%w: %s", ErrNameTaken, spec.Name)
	}
	return nil
}

// ByName returns the live VM holding a caller-chosen name, as reads see
// it (ReadLag applies).
func (c *Cloud) ByName(name string) (VM, error) {
	c.mu.Lock()
	id, ok := c.names[name]
	c.mu.Unlock()
	if !ok {
		return VM{}, fmt.Errorf("%w: no VM named %s", ErrNotFound, name)
	}
	vm, err := c.Get(id)
	if err != nil || vm.Name != name {
		return VM{}, fmt.Errorf("%w: no VM named %s", ErrNotFound, name)
	}
	return vm, nil
}
