package ec2

import (
	"encoding/binary"
	"fmt"
	"net/http"
	"net/netip"
	"sync"
)

// ipam hands out private addresses: IPv4 from a subnet's range, or for a
// subnet the world lacks from the pool of 10.0.0.4 upward that the
// simulator used before it had a world; IPv6 addresses and /80 prefixes
// from a subnet's IPv6 /64. Every address is unique across the server,
// because Node names derive from it. Leases are reclaimed lazily: when a
// subnet's pool has gone round once, the leases are rebuilt from what live
// instances hold (plus what an unfinished launch holds), so terminating
// instances frees their addresses without any bookkeeping on the way.
type ipam struct {
	live func() leases // what instances that are not terminated hold

	mu       sync.Mutex
	held     leases
	inflight leases // leased since the last settle, not yet on an instance
	pools    map[string]*pool
}

type leases struct {
	addrs    map[netip.Addr]bool
	prefixes map[netip.Prefix]bool
}

func newLeases() leases {
	return leases{addrs: map[netip.Addr]bool{}, prefixes: map[netip.Prefix]bool{}}
}

func (l leases) add(o leases) {
	for a := range o.addrs {
		l.addrs[a] = true
	}
	for p := range o.prefixes {
		l.prefixes[p] = true
	}
}

type pool struct {
	v4, v6     netip.Prefix // zero for the legacy pool / a subnet without IPv6
	next4      uint32       // offset of the next IPv4 candidate
	next6      uint64       // next IPv6 host number
	nextPrefix uint16       // next /80 number
}

func newIPAM(live func() leases) *ipam {
	return &ipam{live: live, held: newLeases(), inflight: newLeases(), pools: map[string]*pool{}}
}

// poolFor returns the pool of subnet (IPv4 and IPv6 ranges as the world
// gives them; both zero for a subnet the world lacks).
func (a *ipam) poolFor(subnet string, v4, v6 netip.Prefix) *pool {
	p, ok := a.pools[subnet]
	if !ok {
		p = &pool{v4: v4, v6: v6, next4: 4, next6: 0x1000, nextPrefix: 1}
		a.pools[subnet] = p
	}
	return p
}

// settle ends a launch: its leases are on instances now (or were dropped).
func (a *ipam) settle() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inflight = newLeases()
}

func (a *ipam) lease(addr netip.Addr) {
	a.held.addrs[addr], a.inflight.addrs[addr] = true, true
}

// ipv4 leases the given address of the subnet, or the next free one when
// want is empty.
func (a *ipam) ipv4(subnet string, v4, v6 netip.Prefix, want string) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.poolFor(subnet, v4, v6)
	if want != "" {
		addr, err := netip.ParseAddr(want)
		switch {
		case err != nil || !addr.Is4():
			return "", invalidParameter(fmt.Sprintf("Value (%s) for parameter privateIpAddress is invalid. Expected a valid IPv4 address.", want))
		case p.v4.IsValid() && !usable4(p.v4, addr):
			return "", invalidParameter(fmt.Sprintf("Address %s does not fall within the subnet's address range", want))
		case a.held.addrs[addr]:
			return "", inUse(want)
		}
		a.lease(addr)
		return want, nil
	}
	if !p.v4.IsValid() { // the legacy pool: 10.0.0.4, ..., 10.0.0.253, 10.0.1.4, ...
		for {
			n := p.next4 - 4
			p.next4++
			addr := uint32(10<<24) + n/250*256 + n%250 + 4
			if ip := netip.AddrFrom4([4]byte(binary.BigEndian.AppendUint32(nil, addr))); !a.held.addrs[ip] {
				a.lease(ip)
				return ip.String(), nil
			}
		}
	}
	size := uint32(1) << (32 - p.v4.Bits())
	base := binary.BigEndian.Uint32(p.v4.Addr().AsSlice())
	for tried := uint32(0); tried < size; tried++ {
		if p.next4 >= size-1 { // AWS keeps the first four and the last address
			p.next4 = 4
			a.reclaim()
		}
		ip := netip.AddrFrom4([4]byte(binary.BigEndian.AppendUint32(nil, base+p.next4)))
		p.next4++
		if !a.held.addrs[ip] {
			a.lease(ip)
			return ip.String(), nil
		}
	}
	return "", &apiError{Status: http.StatusBadRequest, Code: "InsufficientFreeAddressesInSubnet",
		Message: fmt.Sprintf("There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", subnet)}
}

// reclaim rebuilds the leases from what instances hold. Callers hold a.mu.
func (a *ipam) reclaim() {
	a.held = a.live()
	a.held.add(a.inflight)
}

func usable4(p netip.Prefix, addr netip.Addr) bool {
	if !p.Contains(addr) {
		return false
	}
	off := binary.BigEndian.Uint32(addr.AsSlice()) - binary.BigEndian.Uint32(p.Addr().AsSlice())
	return off >= 4 && off < (uint32(1)<<(32-p.Bits()))-1
}

func inUse(addr string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidIPAddress.InUse", Message: fmt.Sprintf("Address %s is in use.", addr)}
}

func noIPv6(subnet string) *apiError {
	return invalidParameter(fmt.Sprintf("The subnet (%s) has no IPv6 CIDR block associated with it.", subnet))
}
