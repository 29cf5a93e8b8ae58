package ec2

import (
	"net/netip"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
)

// NodeIdentity is how an EC2 instance appears as a Kubernetes node: named
// by its private DNS name, with provider ID aws:///<zone>/<instance-id>.
func NodeIdentity(vm core.VM) nodes.Identity {
	return nodes.Identity{Name: vm.Attrs[attrPrivateDNS], ProviderID: "aws:///" + vm.Zone + "/" + vm.ID,
		Zone: vm.Zone, InstanceType: vm.InstanceType, InternalIP: vm.Attrs[attrPrivateIP]}
}

// Inject puts a running instance into the cloud that no API call launched
// (an orphan or another cluster's VM), with the private address, DNS name,
// network interface and reservation an instance launched through
// RunInstances would have: in the region of spec.Zone (the primary region
// when no region has it), in that zone's first subnet when the world has one.
func (s *Server) Inject(spec core.LaunchSpec) core.VM {
	region := s.vmRegion(core.VM{Zone: spec.Zone})
	ix := s.regions[region]
	subnet := ix.zoneFirst[spec.Zone]
	var v4, v6 netip.Prefix
	vpc := ""
	if sn, ok := ix.subnets[subnet]; ok {
		v4, vpc = netip.MustParsePrefix(sn.CIDR), sn.VPC
	}
	s.launchMu.Lock()
	defer s.launchMu.Unlock()
	defer s.ipam.settle()
	ip, err := s.ipam.ipv4(subnet, v4, v6, "")
	if err != nil {
		panic("ec2.Inject: " + err.Error()) // the subnet is full: the test injects more than the world holds
	}
	spec.Attrs = map[string]string{attrPrivateIP: ip, attrPrivateDNS: s.privateDNS(region, ip), attrSubnet: subnet, attrVPC: vpc,
		attrENI: s.cloud.NewID("eni-", 17), attrReservation: s.cloud.NewID("r-", 17), attrRootDevice: DefaultImage.RootDeviceName,
		attrRegion: region}
	spec.IDPrefix, spec.IDDigits = "i-", 17
	return s.cloud.Inject(spec)
}
