package ec2

import (
	"encoding/xml"
	"net/http"
	"net/netip"
)

type assignIpv6Response struct {
	XMLName   xml.Name `xml:"AssignIpv6AddressesResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	RequestID string   `xml:"requestId"`
	NICID     string   `xml:"networkInterfaceId"`
	Addresses []string `xml:"assignedIpv6Addresses>item"`
	Prefixes  []string `xml:"assignedIpv6PrefixSet>item"`
}

// assignIpv6Addresses adds IPv6 addresses (a count or explicit ones) and
// /80 prefixes (likewise) from the subnet's IPv6 CIDR to an interface.
func assignIpv6Addresses(s *Server, req *request) (any, error) {
	vm, n, err := s.requestNIC(req)
	if err != nil {
		return nil, err
	}
	spec := nicSpec{ipv6: req.list("Ipv6Addresses"), prefixes: req.list("Ipv6Prefix")}
	if spec.ipv6Count, err = req.intParam("Ipv6AddressCount", 0); err != nil {
		return nil, err
	}
	if spec.prefixCount, err = req.intParam("Ipv6PrefixCount", 0); err != nil {
		return nil, err
	}
	if err := checkIPv6Spec(spec, ""); err != nil {
		return nil, err
	}
	if spec.ipv6Count == 0 && len(spec.ipv6) == 0 && spec.prefixCount == 0 && len(spec.prefixes) == 0 {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination",
			Message: "Specify Ipv6AddressCount, Ipv6Addresses, Ipv6PrefixCount or Ipv6Prefix."}
	}
	var v4, v6 netip.Prefix
	if sn, ok := s.region(req).subnets[n.SubnetID]; ok {
		v4 = netip.MustParsePrefix(sn.CIDR)
		if sn.IPv6CIDR != "" {
			v6 = netip.MustParsePrefix(sn.IPv6CIDR)
		}
	}
	s.launchMu.Lock() // leases are not reclaimed while this holds fresh ones
	defer s.launchMu.Unlock()
	defer s.ipam.settle()
	addrs, err := s.ipam.ipv6(n.SubnetID, v4, v6, spec.ipv6Count, spec.ipv6)
	if err != nil {
		return nil, err
	}
	prefixes, err := s.ipam.ipv6Prefixes(n.SubnetID, v4, v6, spec.prefixCount, spec.prefixes)
	if err != nil {
		return nil, err
	}
	if _, err := s.updateNIC(vm.ID, n.ID, func(n *nic) {
		n.IPv6 = append(n.IPv6, addrs...)
		n.IPv6Prefixes = append(n.IPv6Prefixes, prefixes...)
	}); err != nil {
		return nil, err
	}
	return &assignIpv6Response{Xmlns: xmlns, RequestID: req.id, NICID: n.ID, Addresses: addrs, Prefixes: prefixes}, nil
}
