package ec2

import (
	"cmp"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// nicSpec is one network interface a launch asks for.
type nicSpec struct {
	deviceIndex         int
	subnet              string
	groups              []string
	interfaceType       string
	privateIP           string
	ipv6Count           int
	ipv6                []string
	prefixCount         int
	prefixes            []string
	deleteOnTermination bool
}

var interfaceTypes = map[string]bool{"interface": true, "efa": true, "efa-only": true}

// launchNICSpecs reads NetworkInterface.N, or the instance-level SubnetId,
// SecurityGroupId.N, PrivateIpAddress and Ipv6 parameters when there is
// none. As before the world existed, instance-level groups also apply to
// the primary interface of NetworkInterface.N.
func launchNICSpecs(req *request) ([]nicSpec, error) {
	members := req.members("NetworkInterface")
	if len(members) == 0 {
		spec := nicSpec{subnet: req.get("SubnetId"), groups: req.list("SecurityGroupId"), interfaceType: "interface",
			privateIP: req.get("PrivateIpAddress"), ipv6: memberValues(req, "Ipv6Address", "Ipv6Address"), deleteOnTermination: true}
		var err error
		if spec.ipv6Count, err = req.intParam("Ipv6AddressCount", 0); err != nil {
			return nil, err
		}
		return []nicSpec{spec}, checkIPv6Spec(spec, "")
	}
	var out []nicSpec
	seen := map[int]bool{}
	for i, m := range members {
		if id := req.get(m + ".NetworkInterfaceId"); id != "" {
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidNetworkInterfaceID.NotFound",
				Message: fmt.Sprintf("The networkInterface ID '%s' does not exist (the EC2 simulator has no standalone network interfaces)", id)}
		}
		spec := nicSpec{subnet: req.get(m + ".SubnetId"), groups: req.list(m + ".SecurityGroupId"),
			interfaceType: req.get(m + ".InterfaceType"), privateIP: req.get(m + ".PrivateIpAddress"),
			ipv6: memberValues(req, m+".Ipv6Addresses", "Ipv6Address"), prefixes: memberValues(req, m+".Ipv6Prefix", "Ipv6Prefix"),
			deleteOnTermination: req.get(m+".DeleteOnTermination") != "false"}
		var err error
		if spec.deviceIndex, err = req.intParam(m+".DeviceIndex", i); err != nil {
			return nil, err
		}
		if spec.ipv6Count, err = req.intParam(m+".Ipv6AddressCount", 0); err != nil {
			return nil, err
		}
		if spec.prefixCount, err = req.intParam(m+".Ipv6PrefixCount", 0); err != nil {
			return nil, err
		}
		if spec.interfaceType == "" {
			spec.interfaceType = "interface"
		}
		if !interfaceTypes[spec.interfaceType] {
			return nil, invalidParameter(fmt.Sprintf("Value (%s) for parameter interfaceType is invalid. Expected one of: efa, efa-only, interface.", spec.interfaceType))
		}
		if seen[spec.deviceIndex] {
			return nil, invalidParameter(fmt.Sprintf("Each network interface requires a unique device index (%d is given twice).", spec.deviceIndex))
		}
		seen[spec.deviceIndex] = true
		if spec.deviceIndex == 0 {
			spec.groups = append(req.list("SecurityGroupId"), spec.groups...)
			if spec.subnet == "" {
				spec.subnet = req.get("SubnetId")
			}
		}
		if err := checkIPv6Spec(spec, m+"."); err != nil {
			return nil, err
		}
		out = append(out, spec)
	}
	if !seen[0] {
		return nil, invalidParameter("A network interface at device index 0 is required.")
	}
	return out, nil
}

func checkIPv6Spec(spec nicSpec, prefix string) error {
	if spec.ipv6Count > 0 && len(spec.ipv6) > 0 {
		return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination",
			Message: fmt.Sprintf("The parameter %sIpv6AddressCount cannot be used with the parameter %sIpv6Addresses", prefix, prefix)}
	}
	if spec.prefixCount > 0 && len(spec.prefixes) > 0 {
		return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination",
			Message: fmt.Sprintf("The parameter %sIpv6PrefixCount cannot be used with the parameter %sIpv6Prefix", prefix, prefix)}
	}
	if spec.ipv6Count < 0 || spec.prefixCount < 0 {
		return invalidParameter("IPv6 address and prefix counts must not be negative.")
	}
	return nil
}

// memberValues reads prefix.N.key for every N.
func memberValues(req *request, prefix, key string) []string {
	var out []string
	for _, m := range req.members(prefix) {
		if v := req.get(m + "." + key); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// resolvedNIC is a nicSpec with its subnet looked up.
type resolvedNIC struct {
	nicSpec
	vpc    string
	v4, v6 netip.Prefix // zero for a subnet the world lacks
}

// resolveNICs checks subnets and groups against the region and returns the
// instance's zone: its subnet's, unless (without StrictReferences) the
// placement names another. An interface without a subnet goes to the
// zone's first subnet (the region's first without a placement), as a
// default VPC would place it.
func (s *Server) resolveNICs(ix *regionIndex, specs []nicSpec, placement string) ([]resolvedNIC, string, error) {
	zone := placement
	var out []resolvedNIC
	for _, spec := range specs {
		if spec.subnet == "" {
			spec.subnet = ix.defaultSubnet(zone)
		}
		r := resolvedNIC{nicSpec: spec}
		sn, known := ix.subnets[spec.subnet]
		switch {
		case spec.subnet == "":
		case known:
			r.vpc, r.v4 = sn.VPC, netip.MustParsePrefix(sn.CIDR)
			if sn.IPv6CIDR != "" {
				r.v6 = netip.MustParsePrefix(sn.IPv6CIDR)
			}
			if s.opts.StrictReferences && zone != "" && zone != sn.Zone {
				return nil, "", invalidParameter(fmt.Sprintf("Value (%s) for parameter availabilityZone is invalid. Subnet '%s' is in the availability zone %s", zone, sn.ID, sn.Zone))
			}
			zone = cmp.Or(zone, sn.Zone)
		case !s.opts.StrictReferences:
			r.vpc = "vpc-" + strings.TrimPrefix(spec.subnet, "subnet-")
		case !world.ValidID("subnet-", spec.subnet):
			return nil, "", &apiError{Status: http.StatusBadRequest, Code: "InvalidSubnetID.Malformed", Message: fmt.Sprintf("The subnet ID '%s' is malformed", spec.subnet)}
		default:
			return nil, "", &apiError{Status: http.StatusBadRequest, Code: "InvalidSubnetID.NotFound", Message: fmt.Sprintf("The subnet ID '%s' does not exist", spec.subnet)}
		}
		if err := s.checkGroups(ix, spec.groups, r.vpc, spec.subnet); err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, cmp.Or(zone, ix.Zones[0]), nil
}

// checkGroups refuses, under StrictReferences, malformed and unknown
// security groups and groups of another VPC than the subnet's.
func (s *Server) checkGroups(ix *regionIndex, groups []string, vpc, subnet string) error {
	if !s.opts.StrictReferences {
		return nil
	}
	for _, g := range groups {
		sg, ok := ix.groups[g]
		switch {
		case !world.ValidID("sg-", g):
			return malformed("InvalidGroupId.Malformed", g, "sg-")
		case !ok:
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound", Message: fmt.Sprintf("The security group '%s' does not exist", g)}
		case vpc != "" && sg.VPC != vpc:
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidParameter",
				Message: fmt.Sprintf("Security group %s and subnet %s belong to different networks.", g, subnet)}
		}
	}
	return nil
}

// allocateNICs gives one instance its interfaces: IDs and addresses.
func (s *Server) allocateNICs(l *launch) ([]nic, error) {
	var out []nic
	for _, r := range l.nics {
		ip, err := s.ipam.ipv4(r.subnet, r.v4, r.v6, r.privateIP)
		if err != nil {
			return nil, err
		}
		n := nic{ID: s.cloud.NewID("eni-", 17), DeviceIndex: r.deviceIndex, SubnetID: r.subnet, VPCID: r.vpc, PrivateIP: ip,
			PrivateDNS: s.privateDNS(l.region.Name, ip), Groups: append([]string{}, r.groups...), SourceDestCheck: true,
			InterfaceType: r.interfaceType, DeleteOnTermination: r.deleteOnTermination}
		if n.IPv6, err = s.ipam.ipv6(r.subnet, r.v4, r.v6, r.ipv6Count, r.ipv6); err != nil {
			return nil, err
		}
		if n.IPv6Prefixes, err = s.ipam.ipv6Prefixes(r.subnet, r.v4, r.v6, r.prefixCount, r.prefixes); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// defaultSubnet is the first subnet of zone, or of the region when zone
// is empty; empty when there is none.
func (ix *regionIndex) defaultSubnet(zone string) string {
	if zone != "" {
		return ix.zoneFirst[zone]
	}
	if len(ix.Subnets) > 0 {
		return ix.Subnets[0].ID
	}
	return ""
}
