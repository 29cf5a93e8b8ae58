package world

import (
	"fmt"
	"net/netip"
	"slices"
)

// network checks VPCs, subnets and security groups of region r.
func (p *problems) network(r Region, path string, kind func(string) seen) {
	vpcs := map[string]VPC{}
	for i, v := range r.VPCs {
		vp := fmt.Sprintf("%s.vpcs[%d]", path, i)
		if !ValidID("vpc-", v.ID) {
			p.add(vp+".id", "VPC ID %q is malformed: want %s", v.ID, idShape("vpc-"))
		}
		p.dup(kind("vpc"), v.ID, vp+".id", "VPC ID %q is used twice", v.ID)
		if _, err := cidr(v.CIDR, false, 16, 28); err != nil {
			p.add(vp+".cidr", "VPC %q has CIDR %q: %v", v.ID, v.CIDR, err)
		}
		if v.IPv6CIDR != "" {
			if _, err := cidr(v.IPv6CIDR, true, 56, 56); err != nil {
				p.add(vp+".ipv6CIDR", "VPC %q has IPv6 CIDR %q: %v", v.ID, v.IPv6CIDR, err)
			}
		}
		vpcs[v.ID] = v
	}
	var placed []placedSubnet
	for i, s := range r.Subnets {
		sp := fmt.Sprintf("%s.subnets[%d]", path, i)
		if !ValidID("subnet-", s.ID) {
			p.add(sp+".id", "subnet ID %q is malformed: want %s", s.ID, idShape("subnet-"))
		}
		p.dup(kind("subnet"), s.ID, sp+".id", "subnet ID %q is used twice", s.ID)
		if !slices.Contains(r.Zones, s.Zone) {
			p.add(sp+".zone", "subnet %q names zone %q that region %q does not have", s.ID, s.Zone, r.Name)
		}
		vpc, ok := vpcs[s.VPC]
		if !ok {
			p.add(sp+".vpc", "subnet %q names VPC %q that does not exist", s.ID, s.VPC)
		}
		if ps, ok := p.subnetCIDR(s, sp, vpc, ok, placed); ok {
			placed = append(placed, ps)
		}
		p.subnetIPv6(s, sp, vpc, ok)
	}
	names := seen{}
	for i, g := range r.SecurityGroups {
		gp := fmt.Sprintf("%s.securityGroups[%d]", path, i)
		if !ValidID("sg-", g.ID) {
			p.add(gp+".id", "security group ID %q is malformed: want %s", g.ID, idShape("sg-"))
		}
		p.dup(kind("security group"), g.ID, gp+".id", "security group ID %q is used twice", g.ID)
		if g.Name == "" {
			p.add(gp+".name", "security group %q has no name", g.ID)
		}
		if _, ok := vpcs[g.VPC]; !ok {
			p.add(gp+".vpc", "security group %q names VPC %q that does not exist", g.ID, g.VPC)
		}
		p.dup(names, g.VPC+"/"+g.Name, gp+".name", "security group name %q is used twice in VPC %q", g.Name, g.VPC)
	}
}

type placedSubnet struct {
	id     string
	vpc    string
	prefix netip.Prefix
}

// subnetCIDR checks s's IPv4 range: well formed, inside its VPC (when the
// VPC is known) and not overlapping an earlier subnet of the same VPC.
func (p *problems) subnetCIDR(s Subnet, path string, vpc VPC, vpcKnown bool, placed []placedSubnet) (placedSubnet, bool) {
	prefix, err := cidr(s.CIDR, false, 16, 28)
	if err != nil {
		p.add(path+".cidr", "subnet %q has CIDR %q: %v", s.ID, s.CIDR, err)
		return placedSubnet{}, false
	}
	if vpcKnown {
		if outer, err := cidr(vpc.CIDR, false, 16, 28); err == nil && !within(prefix, outer) {
			p.add(path+".cidr", "subnet %q has CIDR %s outside its VPC %q (%s)", s.ID, s.CIDR, vpc.ID, vpc.CIDR)
			return placedSubnet{}, false
		}
	}
	for _, other := range placed {
		if other.vpc == s.VPC && prefix.Overlaps(other.prefix) {
			p.add(path+".cidr", "subnet %q has CIDR %s overlapping subnet %q (%s)", s.ID, s.CIDR, other.id, other.prefix)
			return placedSubnet{}, false
		}
	}
	return placedSubnet{id: s.ID, vpc: s.VPC, prefix: prefix}, true
}

func (p *problems) subnetIPv6(s Subnet, path string, vpc VPC, vpcKnown bool) {
	if s.IPv6CIDR == "" {
		return
	}
	prefix, err := cidr(s.IPv6CIDR, true, 64, 64)
	switch {
	case err != nil:
		p.add(path+".ipv6CIDR", "subnet %q has IPv6 CIDR %q: %v", s.ID, s.IPv6CIDR, err)
	case !vpcKnown:
	case vpc.IPv6CIDR == "":
		p.add(path+".ipv6CIDR", "subnet %q has an IPv6 CIDR but its VPC %q has none: give the VPC an ipv6CIDR (/56)", s.ID, vpc.ID)
	default:
		if outer, err := cidr(vpc.IPv6CIDR, true, 56, 56); err == nil && !within(prefix, outer) {
			p.add(path+".ipv6CIDR", "subnet %q has IPv6 CIDR %s outside its VPC %q (%s)", s.ID, s.IPv6CIDR, vpc.ID, vpc.IPv6CIDR)
		}
	}
}

// cidr parses a network prefix of the given family with a length in
// [minBits, maxBits] whose host bits are zero.
func cidr(s string, ipv6 bool, minBits, maxBits int) (netip.Prefix, error) {
	family, example := "IPv4", "10.0.0.0/16"
	if ipv6 {
		family, example = "IPv6", "2600:1f18:5e1:a700::/56"
	}
	want := fmt.Sprintf("/%d to /%d", minBits, maxBits)
	if minBits == maxBits {
		want = fmt.Sprintf("/%d", minBits)
	}
	prefix, err := netip.ParsePrefix(s)
	if err != nil || prefix.Addr().Is6() != ipv6 || prefix.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("want an %s network such as %s", family, example)
	}
	if prefix.Bits() < minBits || prefix.Bits() > maxBits {
		return netip.Prefix{}, fmt.Errorf("want a %s %s network", family, want)
	}
	if prefix.Masked() != prefix {
		return netip.Prefix{}, fmt.Errorf("has host bits set: want %s", prefix.Masked())
	}
	return prefix, nil
}

// within says whether inner lies entirely inside outer.
func within(inner, outer netip.Prefix) bool {
	return inner.Bits() >= outer.Bits() && outer.Contains(inner.Addr())
}
