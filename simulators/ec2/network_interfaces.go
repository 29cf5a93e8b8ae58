package ec2

import (
	"encoding/json"
	"net/netip"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// nic is one network interface of an instance, kept as JSON in the VM's
// attributes (attrNICs) so it changes with ModifyNetworkInterfaceAttribute
// and AssignIpv6Addresses. Device index 0 is the primary interface, whose
// ID, subnet, address and groups are also the instance's.
type nic struct {
	ID                  string   `json:"id"`
	DeviceIndex         int      `json:"deviceIndex"`
	SubnetID            string   `json:"subnetId,omitempty"`
	VPCID               string   `json:"vpcId,omitempty"`
	PrivateIP           string   `json:"privateIp"`
	PrivateDNS          string   `json:"privateDns"`
	Groups              []string `json:"groups"`
	SourceDestCheck     bool     `json:"sourceDestCheck"`
	InterfaceType       string   `json:"interfaceType"`
	IPv6                []string `json:"ipv6,omitempty"`
	IPv6Prefixes        []string `json:"ipv6Prefixes,omitempty"`
	DeleteOnTermination bool     `json:"deleteOnTermination"`
}

// nicsOf returns an instance's interfaces. Instances that predate attrNICs
// (or were injected) get their primary interface from the older attributes.
func nicsOf(vm core.VM) []nic {
	var out []nic
	if raw := vm.Attrs[attrNICs]; raw != "" && json.Unmarshal([]byte(raw), &out) == nil {
		return out
	}
	if vm.Attrs[attrENI] == "" {
		return nil
	}
	var groups []string
	_ = json.Unmarshal([]byte(vm.Attrs[attrGroups]), &groups)
	return []nic{{ID: vm.Attrs[attrENI], SubnetID: vm.Attrs[attrSubnet], VPCID: vm.Attrs[attrVPC], PrivateIP: vm.Attrs[attrPrivateIP],
		PrivateDNS: vm.Attrs[attrPrivateDNS], Groups: groups, SourceDestCheck: true, InterfaceType: "interface", DeleteOnTermination: true}}
}

// setNICs stores nics in attrs, and the primary's groups where older
// readers look for them.
func setNICs(attrs map[string]string, nics []nic) {
	raw, _ := json.Marshal(nics)
	attrs[attrNICs] = string(raw)
	for _, n := range nics {
		if n.DeviceIndex == 0 {
			g, _ := json.Marshal(n.Groups)
			attrs[attrGroups] = string(g)
		}
	}
}

// primaryNIC is the interface at device index 0, if any.
func primaryNIC(nics []nic) (nic, bool) {
	for _, n := range nics {
		if n.DeviceIndex == 0 {
			return n, true
		}
	}
	return nic{}, false
}

// liveAddresses lists the addresses instances that are not terminated
// hold, for the address manager's reclaim.
func (s *Server) liveAddresses() leases {
	out := newLeases()
	for _, vm := range s.cloud.Snapshot() {
		if vm.State() == core.Terminated {
			continue
		}
		for _, n := range nicsOf(vm) {
			for _, a := range append([]string{n.PrivateIP}, n.IPv6...) {
				if addr, err := netip.ParseAddr(a); err == nil {
					out.addrs[addr] = true
				}
			}
			for _, p := range n.IPv6Prefixes {
				if pf, err := netip.ParsePrefix(p); err == nil {
					out.prefixes[pf] = true
				}
			}
		}
	}
	return out
}

// findNIC finds the instance holding interface id in region.
func (s *Server) findNIC(region, id string) (core.VM, nic, bool) {
	vms := s.cloud.List(func(vm core.VM) bool {
		if vm.State() == core.Terminated || s.vmRegion(vm) != region {
			return false
		}
		for _, n := range nicsOf(vm) {
			if n.ID == id {
				return true
			}
		}
		return false
	})
	if len(vms) == 0 {
		return core.VM{}, nic{}, false
	}
	for _, n := range nicsOf(vms[0]) {
		if n.ID == id {
			return vms[0], n, true
		}
	}
	return core.VM{}, nic{}, false
}
