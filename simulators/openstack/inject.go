package openstack

import (
	"cmp"
	"maps"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
)

// Inject puts a running server into the cloud that no API call created
// (an orphan, another cluster's server, a duplicate): a new UUID, the name
// spec.Attrs[AttrName] (else spec.Owner.Machine), the flavor named by
// spec.InstanceType (else the first), spec.Tags as metadata, and a port
// with a fresh address on the first network, as a server created through
// the API would have.
func (s *Server) Inject(spec core.LaunchSpec) core.VM {
	id := s.cloud.NewUUID()
	name := cmp.Or(spec.Attrs[AttrName], spec.Owner.Machine)
	var flavor Flavor
	for i, f := range s.opts.Flavors {
		if i == 0 || f.Name == spec.InstanceType {
			flavor = f
		}
	}
	attrs := maps.Clone(spec.Attrs)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs[AttrName], attrs[attrFlavorID] = name, flavor.ID
	delete(attrs, attrFault)
	zone := cmp.Or(spec.Zone, s.opts.Zones[0])
	var nics []nic
	if len(s.opts.Networks) > 0 {
		nics = []nic{{networkID: s.opts.Networks[0].ID}}
	}
	_, groupIDs, _ := s.securityGroups(nil)
	addrs, _, _ := s.plugNICs(id, zone, nics, groupIDs)
	attrs[attrAddresses], attrs[attrVolumes] = mustJSON(addrs), "[]"
	spec.IDPrefix, spec.IDDigits, spec.Count = id, 0, 1
	spec.Zone, spec.InstanceType, spec.VCPUs, spec.Attrs = zone, flavor.Name, flavor.VCPUs, attrs
	if spec.ImageID == "" && len(s.opts.Images) > 0 {
		spec.ImageID = s.opts.Images[0].ID
	}
	vm := s.cloud.Inject(spec)
	s.names.add(vm.ID, name)
	return vm
}

// ProviderID is the provider ID MCM's OpenStack driver gives a server:
// openstack:///<region>/<server-id>.
func (s *Server) ProviderID(serverID string) string {
	return "openstack:///" + s.opts.Region + "/" + serverID
}

// NodeIdentity is how a server appears as a Kubernetes node: named by its
// server name in lower case (the hostname cloud-init gives it), with
// ProviderID, its zone, flavor and first fixed address. ok is false for a
// server whose build failed (ERROR): no kubelet ever runs on it.
func (s *Server) NodeIdentity(vm core.VM) (id nodes.Identity, ok bool) {
	if vm.Attrs[attrFault] != "" {
		return nodes.Identity{}, false
	}
	id = nodes.Identity{Name: strings.ToLower(vm.Attrs[AttrName]), ProviderID: s.ProviderID(vm.ID),
		Zone: vm.Zone, InstanceType: vm.InstanceType}
	if addrs := addressesOf(vm); len(addrs) > 0 {
		id.InternalIP = addrs[0].IP
	}
	return id, true
}
