package ec2

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// actions lists every implemented Query action.
func actions() map[string]action {
	return map[string]action{
		"RunInstances":              runInstances,
		"DescribeInstances":         describeInstances,
		"TerminateInstances":        terminateInstances,
		"CreateTags":                createTags,
		"DeleteTags":                deleteTags,
		"DescribeImages":            describeImages,
		"DescribeAvailabilityZones": describeAvailabilityZones,
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
	changes, err := s.cloud.Terminate(ids)
	if err != nil {
		return nil, notFoundFrom(s, ids)
	}
	resp := &terminateInstancesResponse{Xmlns: xmlns, RequestID: req.id}
	for _, c := range changes {
		resp.Instances = append(resp.Instances, stateChangeXML{InstanceID: c.ID, CurrentState: stateOf(c.Current), PreviousState: stateOf(c.Previous)})
	}
	return resp, nil
}

// notFoundFrom names the IDs of ids the cloud does not know.
func notFoundFrom(s *Server, ids []string) *apiError {
	var missing []string
	for _, id := range ids {
		if _, err := s.cloud.Get(id); err != nil {
			missing = append(missing, id)
		}
	}
	return notFound(missing)
}

// instanceResources splits CreateTags/DeleteTags resource IDs: instances are
// modelled; volumes and network interfaces are accepted and not modelled.
func instanceResources(req *request) ([]string, error) {
	ids := req.list("ResourceId")
	if len(ids) == 0 {
		return nil, missingParameter("ResourceId")
	}
	var instances []string
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, "i-"):
			instances = append(instances, id)
		case strings.HasPrefix(id, "vol-"), strings.HasPrefix(id, "eni-"):
		default:
			return nil, invalidParameter(fmt.Sprintf("Invalid id: \"%s\" (the EC2 simulator tags instances, volumes and network interfaces only)", id)).withCode("InvalidID")
		}
	}
	return instances, nil
}

func createTags(s *Server, req *request) (any, error) {
	ids, err := instanceResources(req)
	if err != nil {
		return nil, err
	}
	tags := req.tags("Tag")
	if len(tags) == 0 {
		return nil, missingParameter("Tag")
	}
	if err := s.cloud.SetTags(ids, tags); err != nil {
		return nil, notFoundFrom(s, ids)
	}
	return &returnResponse{XMLName: xml.Name{Local: "CreateTagsResponse"}, Xmlns: xmlns, RequestID: req.id, Return: true}, nil
}

func deleteTags(s *Server, req *request) (any, error) {
	ids, err := instanceResources(req)
	if err != nil {
		return nil, err
	}
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
	if err := s.cloud.DeleteTags(ids, del); err != nil {
		return nil, notFoundFrom(s, ids)
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
	images := s.opts.Images
	if len(ids) > 0 {
		images = nil
		for _, id := range ids {
			img, err := s.image(id)
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
	for _, z := range s.opts.Zones {
		resp.Zones = append(resp.Zones, zoneXML{ZoneName: z, ZoneState: "available", RegionName: s.opts.Region})
	}
	return resp, nil
}
