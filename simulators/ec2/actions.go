package ec2

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// actionDef is one implemented Query action: its handler and, where the
// action has its own, the fault-rule attributes it adds to the request's
// (RunInstances: instance type, image, client token, zone, tags).
type actionDef struct {
	handle action
	attrs  func(*request) map[string]string
}

// actions lists every implemented Query action.
func actions() map[string]actionDef {
	return map[string]actionDef{
		"RunInstances":                    {handle: runInstances, attrs: runInstancesAttrs},
		"DescribeInstances":               {handle: describeInstances},
		"TerminateInstances":              {handle: terminateInstances},
		"CreateTags":                      {handle: createTags},
		"DeleteTags":                      {handle: deleteTags},
		"DescribeImages":                  {handle: describeImages},
		"DescribeAvailabilityZones":       {handle: describeAvailabilityZones},
		"StopInstances":                   {handle: stopInstances},
		"StartInstances":                  {handle: startInstances},
		"DescribeVpcs":                    {handle: describeVpcs},
		"DescribeSubnets":                 {handle: describeSubnets},
		"DescribeSecurityGroups":          {handle: describeSecurityGroups},
		"DescribeKeyPairs":                {handle: describeKeyPairs},
		"DescribeVolumes":                 {handle: describeVolumes},
		"ModifyNetworkInterfaceAttribute": {handle: modifyNetworkInterfaceAttribute},
		"AssignIpv6Addresses":             {handle: assignIpv6Addresses},
	}
}

func terminateInstances(s *Server, req *request) (any, error) {
	ids := req.list("InstanceId")
	if len(ids) == 0 {
		return nil, missingParameter("InstanceId")
	}
	for _, id := range ids {
		if !instanceIDPattern.MatchString(id) {
			return nil, invalidParameter(fmt.Sprintf("Invalid id: \"%s\"", id)).withCode("InvalidInstanceID.Malformed")
		}
	}
	vms, err := s.instancesByID(req.region, ids)
	if err != nil {
		return nil, err
	}
	now := s.cloud.Clock().Now()
	before := map[string]core.State{}
	for _, vm := range vms {
		before[vm.ID] = s.stateOf(vm, now) // a stopped instance is "stopped" to the caller, "running" to the core
	}
	changes, err := s.cloud.Terminate(ids)
	if err != nil {
		return nil, notFoundFrom(s, req.region, ids)
	}
	resp := &terminateInstancesResponse{Xmlns: xmlns, RequestID: req.id}
	for _, c := range changes {
		resp.Instances = append(resp.Instances, stateChangeXML{InstanceID: c.ID, CurrentState: stateOf(c.Current), PreviousState: stateOf(before[c.ID])})
	}
	return resp, nil
}

// notFoundFrom names the IDs of ids the region does not have.
func notFoundFrom(s *Server, region string, ids []string) error {
	_, err := s.instancesByID(region, ids)
	if err == nil { // gone between the check and the change
		return notFound(ids)
	}
	return err
}

// taggable splits CreateTags/DeleteTags resource IDs: instances and
// volumes are modelled; network interfaces are accepted and not modelled.
func taggable(req *request) (instances, volumes []string, err error) {
	ids := req.list("ResourceId")
	if len(ids) == 0 {
		return nil, nil, missingParameter("ResourceId")
	}
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, "i-"):
			instances = append(instances, id)
		case strings.HasPrefix(id, "vol-"):
			volumes = append(volumes, id)
		case strings.HasPrefix(id, "eni-"):
		default:
			return nil, nil, invalidParameter(fmt.Sprintf("Invalid id: \"%s\" (the EC2 simulator tags instances, volumes and network interfaces only)", id)).withCode("InvalidID")
		}
	}
	return instances, volumes, nil
}

// tagResources applies mutate to the tags of the request's resources.
func (s *Server) tagResources(req *request, setInstances func(ids []string) error, mutate func(map[string]string)) error {
	ids, vols, err := taggable(req)
	if err != nil {
		return err
	}
	if _, err := s.instancesByID(req.region, ids); err != nil {
		return err
	}
	if len(vols) > 0 {
		if missing := s.volumes.tag(req.region, vols, s.instanceStates(), mutate); len(missing) > 0 {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidVolume.NotFound",
				Message: fmt.Sprintf("The volume '%s' does not exist.", strings.Join(missing, ", "))}
		}
	}
	if err := setInstances(ids); err != nil {
		return notFoundFrom(s, req.region, ids)
	}
	return nil
}

func createTags(s *Server, req *request) (any, error) {
	tags := req.tags("Tag")
	if len(tags) == 0 {
		return nil, missingParameter("Tag")
	}
	err := s.tagResources(req, func(ids []string) error { return s.cloud.SetTags(ids, tags) }, func(t map[string]string) {
		for k, v := range tags {
			t[k] = v
		}
	})
	if err != nil {
		return nil, err
	}
	return &returnResponse{XMLName: xml.Name{Local: "CreateTagsResponse"}, Xmlns: xmlns, RequestID: req.id, Return: true}, nil
}

func deleteTags(s *Server, req *request) (any, error) {
	del := map[string]*string{}
	for _, m := range req.members("Tag") {
		k := req.get(m + ".Key")
		if k == "" {
			continue
		}
		if _, hasValue := req.params[m+".Value"]; hasValue {
			v := req.get(m + ".Value")
			del[k] = &v
		} else {
			del[k] = nil
		}
	}
	err := s.tagResources(req, func(ids []string) error { return s.cloud.DeleteTags(ids, del) }, func(t map[string]string) {
		for k, v := range del {
			if v == nil || t[k] == *v {
				delete(t, k)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return &returnResponse{XMLName: xml.Name{Local: "DeleteTagsResponse"}, Xmlns: xmlns, RequestID: req.id, Return: true}, nil
}

type imageXML struct {
	ImageID        string           `xml:"imageId"`
	Name           string           `xml:"name"`
	State          string           `xml:"imageState"`
	Architecture   string           `xml:"architecture"`
	RootDeviceType string           `xml:"rootDeviceType"`
	RootDeviceName string           `xml:"rootDeviceName"`
	BlockDevices   []blockDeviceXML `xml:"blockDeviceMapping>item"`
}

type describeImagesResponse struct {
	XMLName   xml.Name   `xml:"DescribeImagesResponse"`
	Xmlns     string     `xml:"xmlns,attr"`
	RequestID string     `xml:"requestId"`
	Images    []imageXML `xml:"imagesSet>item"`
}

func describeImages(s *Server, req *request) (any, error) {
	ids := req.list("ImageId")
	ix := s.region(req)
	images := ix.Images
	if len(ids) > 0 {
		images = nil
		for _, id := range ids {
			img, err := s.image(ix, id)
			if err != nil {
				return nil, err
			}
			images = append(images, img)
		}
	}
	resp := &describeImagesResponse{Xmlns: xmlns, RequestID: req.id}
	for _, img := range images {
		resp.Images = append(resp.Images, imageXML{ImageID: img.ID, Name: img.Name, State: "available",
			Architecture: img.Architecture, RootDeviceType: "ebs", RootDeviceName: img.RootDeviceName,
			BlockDevices: []blockDeviceXML{{DeviceName: img.RootDeviceName, Ebs: ebsXML{DeleteOnTermination: true}}}})
	}
	return resp, nil
}

type zoneXML struct {
	ZoneName   string `xml:"zoneName"`
	ZoneState  string `xml:"zoneState"`
	RegionName string `xml:"regionName"`
}

type describeZonesResponse struct {
	XMLName   xml.Name  `xml:"DescribeAvailabilityZonesResponse"`
	Xmlns     string    `xml:"xmlns,attr"`
	RequestID string    `xml:"requestId"`
	Zones     []zoneXML `xml:"availabilityZoneInfo>item"`
}

func describeAvailabilityZones(s *Server, req *request) (any, error) {
	resp := &describeZonesResponse{Xmlns: xmlns, RequestID: req.id}
	ix := s.region(req)
	for _, z := range ix.Zones {
		resp.Zones = append(resp.Zones, zoneXML{ZoneName: z, ZoneState: "available", RegionName: ix.Name})
	}
	return resp, nil
}
