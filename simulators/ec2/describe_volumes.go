package ec2

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

type volumeAttachmentXML struct {
	VolumeID            string `xml:"volumeId"`
	InstanceID          string `xml:"instanceId"`
	Device              string `xml:"device"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type volumeXML struct {
	VolumeID    string                `xml:"volumeId"`
	Size        int                   `xml:"size"`
	Zone        string                `xml:"availabilityZone"`
	Status      string                `xml:"status"`
	CreateTime  string                `xml:"createTime"`
	VolumeType  string                `xml:"volumeType"`
	Encrypted   bool                  `xml:"encrypted"`
	Attachments []volumeAttachmentXML `xml:"attachmentSet>item"`
	Tags        []tagXML              `xml:"tagSet>item"`
}

type describeVolumesResponse struct {
	XMLName   xml.Name    `xml:"DescribeVolumesResponse"`
	Xmlns     string      `xml:"xmlns,attr"`
	RequestID string      `xml:"requestId"`
	Volumes   []volumeXML `xml:"volumeSet>item"`
}

// attachmentOf is the one field a detached volume has no value for.
func attachmentOf(v volumeView, get func(volumeView) string) []string {
	if v.Attachment == "" {
		return nil
	}
	return one(get(v))
}

func describeVolumes(s *Server, req *request) (any, error) {
	vols, err := selectResources(req, listing[volumeView]{
		idParam: "VolumeId", id: func(v volumeView) string { return v.ID },
		valid:     func(id string) bool { return world.ValidID("vol-", id) },
		malformed: func(id string) error { return malformed("InvalidVolumeID.Malformed", id, "vol-") },
		notFound: func(ids []string) error {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidVolume.NotFound", Message: fmt.Sprintf("The volume '%s' does not exist.", strings.Join(ids, ", "))}
		},
		fields: map[string]func(volumeView) []string{
			"volume-id": func(v volumeView) []string { return one(v.ID) },
			"attachment.instance-id": func(v volumeView) []string {
				return attachmentOf(v, func(v volumeView) string { return v.InstanceID })
			},
			"attachment.device": func(v volumeView) []string { return attachmentOf(v, func(v volumeView) string { return v.Device }) },
			"attachment.status": func(v volumeView) []string { return attachmentOf(v, func(v volumeView) string { return v.Attachment }) },
			"attachment.delete-on-termination": func(v volumeView) []string {
				return attachmentOf(v, func(v volumeView) string { return strconv.FormatBool(v.DeleteOnTermination) })
			},
			"status":            func(v volumeView) []string { return one(v.Status) },
			"availability-zone": func(v volumeView) []string { return one(v.Zone) },
			"size":              func(v volumeView) []string { return one(strconv.Itoa(v.SizeGiB)) },
			"volume-type":       func(v volumeView) []string { return one(v.Type) },
		},
		tags: func(v volumeView) map[string]string { return v.Tags },
	}, s.volumes.views(req.region, s.instanceStates()))
	if err != nil {
		return nil, err
	}
	resp := &describeVolumesResponse{Xmlns: xmlns, RequestID: req.id}
	for _, v := range vols {
		x := volumeXML{VolumeID: v.ID, Size: v.SizeGiB, Zone: v.Zone, Status: v.Status, CreateTime: v.Created.UTC().Format(timeFormat),
			VolumeType: v.Type, Tags: tagsXML(v.Tags)}
		if v.Attachment != "" {
			x.Attachments = []volumeAttachmentXML{{VolumeID: v.ID, InstanceID: v.InstanceID, Device: v.Device, Status: v.Attachment,
				AttachTime: x.CreateTime, DeleteOnTermination: v.DeleteOnTermination}}
		}
		resp.Volumes = append(resp.Volumes, x)
	}
	return resp, nil
}
