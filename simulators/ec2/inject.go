package ec2

import (
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
// RunInstances would have.
func (s *Server) Inject(spec core.LaunchSpec) core.VM {
	ip := s.allocateIP()
	spec.Attrs = map[string]string{attrPrivateIP: ip, attrPrivateDNS: s.privateDNS(ip),
		attrENI: s.cloud.NewID("eni-", 17), attrReservation: s.cloud.NewID("r-", 17), attrRootDevice: DefaultImage.RootDeviceName}
	spec.IDPrefix, spec.IDDigits = "i-", 17
	return s.cloud.Inject(spec)
}
