package core

// tagIndex finds VMs by an exact tag without scanning the inventory:
// key → value → IDs. Callers hold Cloud.mu.
type tagIndex map[string]map[string]map[string]struct{}

func (ix tagIndex) add(id string, tags map[string]string) {
	for k, v := range tags {
		byValue := ix[k]
		if byValue == nil {
			byValue = map[string]map[string]struct{}{}
			ix[k] = byValue
		}
		ids := byValue[v]
		if ids == nil {
			ids = map[string]struct{}{}
			byValue[v] = ids
		}
		ids[id] = struct{}{}
	}
}

func (ix tagIndex) remove(id string, tags map[string]string) {
	for k, v := range tags {
		ids := ix[k][v]
		delete(ids, id)
		if len(ids) == 0 {
			delete(ix[k], v)
		}
		if len(ix[k]) == 0 {
			delete(ix, k)
		}
	}
}

// ListByTag is List restricted to VMs tagged key=value, found through an
// index: its cost does not grow with the inventory.
func (c *Cloud) ListByTag(key, value string, keep func(VM) bool) []VM {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := c.tags[key][value]
	candidates := make([]*VM, 0, len(ids))
	for id := range ids {
		if vm, ok := c.vms[id]; ok {
			candidates = append(candidates, vm)
		}
	}
	return c.collect(candidates, keep)
}
