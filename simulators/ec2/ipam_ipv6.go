package ec2

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// ipv6 leases count new addresses and the explicit ones in want from the
// subnet's IPv6 /64.
func (a *ipam) ipv6(subnet string, v4, v6 netip.Prefix, count int, want []string) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.poolFor(subnet, v4, v6)
	if count == 0 && len(want) == 0 {
		return nil, nil
	}
	if !p.v6.IsValid() {
		return nil, noIPv6(subnet)
	}
	var out []string
	for _, w := range want {
		addr, err := netip.ParseAddr(w)
		switch {
		case err != nil || !addr.Is6() || addr.Is4In6():
			return nil, invalidParameter(fmt.Sprintf("Value (%s) for parameter ipv6Addresses is invalid. Expected a valid IPv6 address.", w))
		case !p.v6.Contains(addr):
			return nil, invalidParameter(fmt.Sprintf("Address %s does not fall within the subnet's address range", w))
		case a.held.addrs[addr] || a.inPrefix(addr):
			return nil, inUse(w)
		}
		a.lease(addr)
		out = append(out, addr.String())
	}
	hi := p.v6.Addr().As16()
	for len(out) < len(want)+count {
		b := hi
		binary.BigEndian.PutUint64(b[8:], p.next6)
		p.next6++
		addr := netip.AddrFrom16(b)
		if !a.held.addrs[addr] && !a.inPrefix(addr) {
			a.lease(addr)
			out = append(out, addr.String())
		}
	}
	return out, nil
}

// ipv6Prefixes leases count new /80 prefixes and the explicit ones in want.
func (a *ipam) ipv6Prefixes(subnet string, v4, v6 netip.Prefix, count int, want []string) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.poolFor(subnet, v4, v6)
	if count == 0 && len(want) == 0 {
		return nil, nil
	}
	if !p.v6.IsValid() {
		return nil, noIPv6(subnet)
	}
	var out []string
	for _, w := range want {
		pf, err := netip.ParsePrefix(w)
		switch {
		case err != nil || !pf.Addr().Is6() || pf.Bits() != 80 || pf.Masked() != pf:
			return nil, invalidParameter(fmt.Sprintf("Value (%s) for parameter ipv6Prefix is invalid. Expected an IPv6 /80 prefix.", w))
		case !p.v6.Contains(pf.Addr()):
			return nil, invalidParameter(fmt.Sprintf("Prefix %s does not fall within the subnet's address range", w))
		case a.held.prefixes[pf] || pf.Contains(p.v6.Addr()):
			return nil, inUse(w)
		}
		a.held.prefixes[pf], a.inflight.prefixes[pf] = true, true
		out = append(out, pf.String())
	}
	hi := p.v6.Addr().As16()
	for len(out) < len(want)+count {
		if p.nextPrefix == 0 { // wrapped: 65535 prefixes handed out
			return nil, inUse(p.v6.String())
		}
		b := hi
		binary.BigEndian.PutUint16(b[8:], p.nextPrefix)
		p.nextPrefix++
		pf := netip.PrefixFrom(netip.AddrFrom16(b), 80)
		if !a.held.prefixes[pf] {
			a.held.prefixes[pf], a.inflight.prefixes[pf] = true, true
			out = append(out, pf.String())
		}
	}
	return out, nil
}

// inPrefix says whether addr lies in a leased prefix. Callers hold a.mu.
func (a *ipam) inPrefix(addr netip.Addr) bool {
	b := addr.As16()
	for i := 10; i < 16; i++ {
		b[i] = 0
	}
	return a.held.prefixes[netip.PrefixFrom(netip.AddrFrom16(b), 80)]
}
