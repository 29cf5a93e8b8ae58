package openstack

import (
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// serverJSON is a server as GET /servers/{id} and /servers/detail show it.
type serverJSON struct {
	ID             string                   `json:"id"`
	Name           string                   `json:"name"`
	Status         string                   `json:"status"`
	TenantID       string                   `json:"tenant_id"`
	UserID         string                   `json:"user_id"`
	Metadata       map[string]string        `json:"metadata"`
	HostID         string                   `json:"hostId"`
	Image          any                      `json:"image"`
	Flavor         any                      `json:"flavor"`
	Created        string                   `json:"created"`
	Updated        string                   `json:"updated"`
	Addresses      map[string][]addressJSON `json:"addresses"`
	AccessIPv4     string                   `json:"accessIPv4"`
	AccessIPv6     string                   `json:"accessIPv6"`
	Links          []link                   `json:"links"`
	KeyName        *string                  `json:"key_name"`
	Progress       int                      `json:"progress"`
	ConfigDrive    string                   `json:"config_drive"`
	SecurityGroups []map[string]string      `json:"security_groups,omitempty"`
	VMState        string                   `json:"OS-EXT-STS:vm_state"`
	TaskState      *string                  `json:"OS-EXT-STS:task_state"`
	PowerState     int                      `json:"OS-EXT-STS:power_state"`
	Zone           string                   `json:"OS-EXT-AZ:availability_zone"`
	LaunchedAt     *string                  `json:"OS-SRV-USG:launched_at"`
	TerminatedAt   *string                  `json:"OS-SRV-USG:terminated_at"`
	DiskConfig     string                   `json:"OS-DCF:diskConfig"`
	Volumes        []map[string]any         `json:"os-extended-volumes:volumes_attached"`
	Fault          *faultJSON               `json:"fault,omitempty"`
	Locked         *bool                    `json:"locked,omitempty"`
	Tags           *[]string                `json:"tags,omitempty"`
}

type addressJSON struct {
	Version int    `json:"version"`
	Addr    string `json:"addr"`
	Type    string `json:"OS-EXT-IPS:type"`
	MAC     string `json:"OS-EXT-IPS-MAC:mac_addr"`
}

type faultJSON struct {
	Code    int    `json:"code"`
	Created string `json:"created"`
	Message string `json:"message"`
}

// serverView renders vm as Nova does at compute microversion 2.micro.
func (s *Server) serverView(base string, vm core.VM, st novaState, micro int) serverJSON {
	self := base + computePath + "/servers/" + vm.ID
	v := serverJSON{
		ID: vm.ID, Name: vm.Attrs[AttrName], Status: st.status, TenantID: s.opts.Project.ID, UserID: s.ownerUserID(),
		Metadata: vm.Tags, HostID: hostID(vm), Image: "", Created: stamp(vm.LaunchTime, isoSeconds),
		Updated: stamp(vm.StateSince(), isoSeconds), Addresses: map[string][]addressJSON{},
		Links:       []link{{Rel: "self", Href: self}, {Rel: "bookmark", Href: base + "/compute/servers/" + vm.ID}},
		ConfigDrive: vm.Attrs[attrConfigDisk], VMState: st.vmState, TaskState: st.taskState, PowerState: st.powerState,
		Zone: vm.Zone, DiskConfig: "MANUAL", Volumes: []map[string]any{},
	}
	if v.Metadata == nil {
		v.Metadata = map[string]string{}
	}
	if k := vm.Attrs[attrKeyName]; k != "" {
		v.KeyName = &k
	}
	if vm.ImageID != "" {
		v.Image = map[string]any{"id": vm.ImageID, "links": []link{{Rel: "bookmark", Href: base + "/compute/images/" + vm.ImageID}}}
	}
	v.Flavor = s.flavorRef(base, vm, micro)
	for _, a := range addressesOf(vm) {
		v.Addresses[a.Network] = append(v.Addresses[a.Network], addressJSON{Version: 4, Addr: a.IP, Type: "fixed", MAC: a.MAC})
	}
	for _, g := range groupsOf(vm) {
		v.SecurityGroups = append(v.SecurityGroups, map[string]string{"name": g})
	}
	for _, vol := range volumesOf(vm) {
		att := map[string]any{"id": vol.ID}
		if micro >= 3 {
			att["delete_on_termination"] = vol.DeleteOnTermination
		}
		v.Volumes = append(v.Volumes, att)
	}
	if st.status == "ACTIVE" || st.status == "SHUTOFF" {
		at := stamp(vm.StateSince(), isoMicros)
		v.LaunchedAt = &at
	}
	if vm.Attrs[attrFault] != "" {
		v.Fault = &faultJSON{Code: 500, Created: stamp(vm.StateSince(), isoSeconds), Message: noValidHostMessage}
	}
	if micro >= 9 {
		locked := false
		v.Locked = &locked
	}
	if micro >= 26 {
		v.Tags = &[]string{}
	}
	return v
}

// flavorRef is a link to the flavor before microversion 2.47 and the
// flavor's own description from 2.47 on.
func (s *Server) flavorRef(base string, vm core.VM, micro int) any {
	id := vm.Attrs[attrFlavorID]
	if micro < 47 {
		return map[string]any{"id": id, "links": []link{{Rel: "bookmark", Href: base + "/compute/flavors/" + id}}}
	}
	f, _ := s.flavor(id)
	return map[string]any{"original_name": f.Name, "vcpus": f.VCPUs, "ram": f.RAM, "disk": f.Disk,
		"ephemeral": 0, "swap": 0, "extra_specs": map[string]string{}}
}

// hostID is an opaque per-host hash; every server is on one of four hosts.
func hostID(vm core.VM) string {
	if vm.ID == "" {
		return ""
	}
	return "5ca1ab1e00000000000000000000000000000000000000000000000" + string("0123"[vm.ID[0]%4])
}

// serverSummary is a server as GET /servers lists it.
func serverSummary(base string, vm core.VM) map[string]any {
	return map[string]any{"id": vm.ID, "name": vm.Attrs[AttrName], "links": []link{
		{Rel: "self", Href: base + computePath + "/servers/" + vm.ID}, {Rel: "bookmark", Href: base + "/compute/servers/" + vm.ID}}}
}
