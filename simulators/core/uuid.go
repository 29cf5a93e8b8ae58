package core

import "fmt"

// NewUUID returns a seeded random RFC 4122 version-4 UUID that no VM of the
// cloud has ever had, for front-ends whose cloud names resources by UUID
// (OpenStack). To launch or inject a VM under it, pass it as
// LaunchSpec.IDPrefix with IDDigits 0 and Count 1: the prefix is then the
// whole ID.
func (c *Cloud) NewUUID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		var b [16]byte
		for i := range b {
			b[i] = byte(c.rng.Intn(256))
		}
		b[6] = b[6]&0x0f | 0x40 // version 4
		b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
		id := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		_, live := c.vms[id]
		_, known := c.owners[id]
		if !live && !known {
			return id
		}
	}
}
