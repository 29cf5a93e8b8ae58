package ec2

import (
	"encoding/json"
	"encoding/xml"
	"sort"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// xmlns is the namespace of every EC2 answer.
const xmlns = "http://ec2.amazonaws.com/doc/2016-11-15/"

type stateXML struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

var stateCodes = map[core.State]int{core.Pending: 0, core.Running: 16, core.ShuttingDown: 32, core.Terminated: 48}

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
	ID               string     `xml:"networkInterfaceId"`
	SubnetID         string     `xml:"subnetId,omitempty"`
	PrivateIPAddress string     `xml:"privateIpAddress"`
	PrivateDNSName   string     `xml:"privateDnsName"`
	Status           string     `xml:"status"`
	Groups           []groupXML `xml:"groupSet>item"`
	Attachment       struct {
		DeviceIndex int    `xml:"deviceIndex"`
		Status      string `xml:"status"`
	} `xml:"attachment"`
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
)

// volume is one EBS volume attached at launch.
type volume struct {
	Device              string `json:"device"`
	ID                  string `json:"id"`
	SizeGiB             int    `json:"sizeGiB"`
	DeleteOnTermination bool   `json:"deleteOnTermination"`
}

func toInstanceXML(vm core.VM) instanceXML {
	a := vm.Attrs
	x := instanceXML{
		InstanceID: vm.ID, ImageID: vm.ImageID, State: stateOf(vm.State()),
		PrivateDNSName: a[attrPrivateDNS], KeyName: a[attrKeyName], InstanceType: vm.InstanceType,
		LaunchTime: vm.LaunchTime.UTC().Format(timeFormat),
		Placement:  placementXML{AvailabilityZone: vm.Zone, Tenancy: "default"},
		SubnetID:   a[attrSubnet], VpcID: a[attrVPC], PrivateIPAddress: a[attrPrivateIP],
		Architecture: a[attrArch], RootDeviceType: "ebs", RootDeviceName: a[attrRootDevice],
		ClientToken: vm.ClientToken, Tags: tagsXML(vm.Tags),
	}
	if vm.State() == core.Terminated {
		x.PrivateDNSName, x.PrivateIPAddress = "", ""
	}
	if arn := a[attrIAMArn]; arn != "" {
		x.IamInstanceProfile = &iamXML{Arn: arn, ID: "AIPA" + vm.ID[2:]}
	}
	var groups []string
	_ = json.Unmarshal([]byte(a[attrGroups]), &groups)
	for _, g := range groups {
		x.Groups = append(x.Groups, groupXML{GroupID: g})
	}
	var vols []volume
	_ = json.Unmarshal([]byte(a[attrVolumes]), &vols)
	for _, v := range vols {
		x.BlockDevices = append(x.BlockDevices, blockDeviceXML{DeviceName: v.Device, Ebs: ebsXML{
			VolumeID: v.ID, Status: "attached", AttachTime: x.LaunchTime, DeleteOnTermination: v.DeleteOnTermination}})
	}
	if eni := a[attrENI]; eni != "" && vm.State() != core.Terminated {
		ni := networkInterfaceXML{ID: eni, SubnetID: x.SubnetID, PrivateIPAddress: x.PrivateIPAddress,
			PrivateDNSName: x.PrivateDNSName, Status: "in-use", Groups: x.Groups}
		ni.Attachment.Status = "attached"
		x.NetworkInterfaces = []networkInterfaceXML{ni}
	}
	return x
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
