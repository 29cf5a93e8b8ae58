package core

// Known returns how many VMs the cloud has ever had (launched or injected,
// alive or gone), in constant time. The number only grows: a front-end that
// keeps its own index of VMs compares it with the count it indexed to learn,
// cheaply, that a VM entered the cloud without passing through it.
func (c *Cloud) Known() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.owners)
}
