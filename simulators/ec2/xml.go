package ec2

import (
	"encoding/json"
	"encoding/xml"
	"sort"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// xmlns is the namespace of every EC2 answer.
const xmlns = "http://ec2.amazonaws.com/doc/2016-11-15/"

type stateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

// EC2 states the core does not model: StopInstances moves a running
// instance through them (see power.go).
const (
	stateStopping core.State = "stopping"
	stateStopped  core.State = "stopped"
)

var stateCodes = map[core.State]int{core.Pending: 0, core.Running: 16, core.ShuttingDown: 32, core.Terminated: 48, stateStopping: 64, stateStopped: 80}

func stateOf(s core.State) stateXML { return stateXML{Code: stateCodes[s], Name: string(s)} }

type tagXML struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

func tagsXML(tags map[string]string) []tagXML {
	out := make([]tagXML, 0, len(tags))
	for k, v := range tags {
		out = append(out, tagXML{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

type placementXML struct {
	AvailabilityZone string `xml:"availabilityZone"`
	Tenancy          string `xml:"tenancy"`
}

type ebsXML struct {
	VolumeID            string `xml:"volumeId"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type blockDeviceXML struct {
	DeviceName string `xml:"deviceName"`
	Ebs        ebsXML `xml:"ebs"`
}

type iamXML struct {
	Arn string `xml:"arn"`
	ID  string `xml:"id"`
}

type groupXML struct {
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName,omitempty"`
}

type networkInterfaceXML struct {
	ID               string          `xml:"networkInterfaceId"`
	SubnetID         string          `xml:"subnetId,omitempty"`
	VpcID            string          `xml:"vpcId,omitempty"`
	OwnerID          string          `xml:"ownerId"`
	PrivateIPAddress string          `xml:"privateIpAddress"`
	PrivateDNSName   string          `xml:"privateDnsName"`
	Status           string          `xml:"status"`
	SourceDestCheck  bool            `xml:"sourceDestCheck"`
	InterfaceType    string          `xml:"interfaceType"`
	Groups           []groupXML      `xml:"groupSet>item"`
	IPv6Addresses    []ipv6AddrXML   `xml:"ipv6AddressesSet>item"`
	IPv6Prefixes     []ipv6PrefixXML `xml:"ipv6PrefixSet>item"`
	Attachment       struct {
		AttachmentID        string `xml:"attachmentId"`
		DeviceIndex         int    `xml:"deviceIndex"`
		Status              string `xml:"status"`
		AttachTime          string `xml:"attachTime"`
		DeleteOnTermination bool   `xml:"deleteOnTermination"`
	} `xml:"attachment"`
}

type ipv6AddrXML struct {
	Address   string `xml:"ipv6Address"`
	IsPrimary bool   `xml:"isPrimaryIpv6"`
}

type ipv6PrefixXML struct {
	Prefix string `xml:"ipv6Prefix"`
}

type instanceXML struct {
	InstanceID         string                `xml:"instanceId"`
	ImageID            string                `xml:"imageId"`
	State              stateXML              `xml:"instanceState"`
	PrivateDNSName     string                `xml:"privateDnsName"`
	DNSName            string                `xml:"dnsName"`
	KeyName            string                `xml:"keyName,omitempty"`
	AmiLaunchIndex     int                   `xml:"amiLaunchIndex"`
	InstanceType       string                `xml:"instanceType"`
	LaunchTime         string                `xml:"launchTime"`
	Placement          placementXML          `xml:"placement"`
	SubnetID           string                `xml:"subnetId,omitempty"`
	VpcID              string                `xml:"vpcId,omitempty"`
	PrivateIPAddress   string                `xml:"privateIpAddress,omitempty"`
	IPv6Address        string                `xml:"ipv6Address,omitempty"`
	SourceDestCheck    *bool                 `xml:"sourceDestCheck,omitempty"`
	Architecture       string                `xml:"architecture"`
	RootDeviceType     string                `xml:"rootDeviceType"`
	RootDeviceName     string                `xml:"rootDeviceName"`
	BlockDevices       []blockDeviceXML      `xml:"blockDeviceMapping>item"`
	IamInstanceProfile *iamXML               `xml:"iamInstanceProfile,omitempty"`
	ClientToken        string                `xml:"clientToken,omitempty"`
	Tags               []tagXML              `xml:"tagSet>item"`
	Groups             []groupXML            `xml:"groupSet>item"`
	NetworkInterfaces  []networkInterfaceXML `xml:"networkInterfaceSet>item"`
}

const timeFormat = "2006-01-02T15:04:05.000Z"

// Keys of core.VM.Attrs the EC2 front-end keeps.
const (
	attrReservation = "reservationId"
	attrSubnet      = "subnetId"
	attrVPC         = "vpcId"
	attrPrivateIP   = "privateIpAddress"
	attrPrivateDNS  = "privateDnsName"
	attrKeyName     = "keyName"
	attrIAMArn      = "iamInstanceProfileArn"
	attrRootDevice  = "rootDeviceName"
	attrArch        = "architecture"
	attrENI         = "networkInterfaceId"
	attrGroups      = "securityGroupIds"   // JSON list
	attrVolumes     = "blockDeviceVolumes" // JSON list of volume
	attrRegion      = "region"
	attrNICs        = "networkInterfaces" // JSON list of nic
	attrPower       = "powerState"        // see power.go
)

// instanceXML renders vm as DescribeInstances shows it at now.
func (s *Server) instanceXML(vm core.VM, now time.Time) instanceXML {
	a := vm.Attrs
	state := s.stateOf(vm, now)
	x := instanceXML{
		InstanceID: vm.ID, ImageID: vm.ImageID, State: stateOf(state),
		PrivateDNSName: a[attrPrivateDNS], KeyName: a[attrKeyName], InstanceType: vm.InstanceType,
		LaunchTime: vm.LaunchTime.UTC().Format(timeFormat),
		Placement:  placementXML{AvailabilityZone: vm.Zone, Tenancy: "default"},
		SubnetID:   a[attrSubnet], VpcID: a[attrVPC], PrivateIPAddress: a[attrPrivateIP],
		Architecture: a[attrArch], RootDeviceType: "ebs", RootDeviceName: a[attrRootDevice],
		ClientToken: vm.ClientToken, Tags: tagsXML(vm.Tags),
	}
	if arn := a[attrIAMArn]; arn != "" {
		x.IamInstanceProfile = &iamXML{Arn: arn, ID: "AIPA" + vm.ID[2:]}
	}
	var vols []volume
	_ = json.Unmarshal([]byte(a[attrVolumes]), &vols)
	for _, v := range vols {
		x.BlockDevices = append(x.BlockDevices, blockDeviceXML{DeviceName: v.Device, Ebs: ebsXML{
			VolumeID: v.ID, Status: "attached", AttachTime: x.LaunchTime, DeleteOnTermination: v.DeleteOnTermination}})
	}
	nics := nicsOf(vm)
	if p, ok := primaryNIC(nics); ok {
		for _, g := range p.Groups {
			x.Groups = append(x.Groups, groupXML{GroupID: g, GroupName: s.groupName(vm, g)})
		}
		check := p.SourceDestCheck
		x.SourceDestCheck = &check
		if len(p.IPv6) > 0 {
			x.IPv6Address = p.IPv6[0]
		}
	}
	if state == core.Terminated {
		x.PrivateDNSName, x.PrivateIPAddress, x.IPv6Address = "", "", ""
		return x
	}
	for _, n := range nics {
		x.NetworkInterfaces = append(x.NetworkInterfaces, s.nicXML(n, vm, x.LaunchTime))
	}
	return x
}

func (s *Server) nicXML(n nic, vm core.VM, attachTime string) networkInterfaceXML {
	x := networkInterfaceXML{ID: n.ID, SubnetID: n.SubnetID, VpcID: n.VPCID, OwnerID: s.world.AccountID,
		PrivateIPAddress: n.PrivateIP, PrivateDNSName: n.PrivateDNS, Status: "in-use",
		SourceDestCheck: n.SourceDestCheck, InterfaceType: n.InterfaceType}
	for _, g := range n.Groups {
		x.Groups = append(x.Groups, groupXML{GroupID: g, GroupName: s.groupName(vm, g)})
	}
	for _, a := range n.IPv6 {
		x.IPv6Addresses = append(x.IPv6Addresses, ipv6AddrXML{Address: a})
	}
	for _, p := range n.IPv6Prefixes {
		x.IPv6Prefixes = append(x.IPv6Prefixes, ipv6PrefixXML{Prefix: p})
	}
	x.Attachment.AttachmentID = "eni-attach-" + strings.TrimPrefix(n.ID, "eni-")
	x.Attachment.DeviceIndex, x.Attachment.Status = n.DeviceIndex, "attached"
	x.Attachment.AttachTime, x.Attachment.DeleteOnTermination = attachTime, n.DeleteOnTermination
	return x
}

// groupName is the world's name of security group id, if it knows it.
func (s *Server) groupName(vm core.VM, id string) string {
	if ix := s.regions[s.vmRegion(vm)]; ix != nil {
		return ix.groups[id].Name
	}
	return ""
}

type reservationXML struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Instances     []instanceXML `xml:"instancesSet>item"`
}

type runInstancesResponse struct {
	XMLName   xml.Name `xml:"RunInstancesResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	RequestID string   `xml:"requestId"`
	reservationXML
}

type describeInstancesResponse struct {
	XMLName      xml.Name         `xml:"DescribeInstancesResponse"`
	Xmlns        string           `xml:"xmlns,attr"`
	RequestID    string           `xml:"requestId"`
	Reservations []reservationXML `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}

type stateChangeXML struct {
	InstanceID    string   `xml:"instanceId"`
	CurrentState  stateXML `xml:"currentState"`
	PreviousState stateXML `xml:"previousState"`
}

type terminateInstancesResponse struct {
	XMLName   xml.Name         `xml:"TerminateInstancesResponse"`
	Xmlns     string           `xml:"xmlns,attr"`
	RequestID string           `xml:"requestId"`
	Instances []stateChangeXML `xml:"instancesSet>item"`
}

// returnResponse answers CreateTags and DeleteTags.
type returnResponse struct {
	XMLName   xml.Name
	Xmlns     string `xml:"xmlns,attr"`
	RequestID string `xml:"requestId"`
	Return    bool   `xml:"return"`
}
