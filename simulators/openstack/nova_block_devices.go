package openstack

import (
	"net/http"
)

// blockDevice is one entry of block_device_mapping_v2.
type blockDevice struct {
	SourceType          string `json:"source_type"`
	DestinationType     string `json:"destination_type"`
	UUID                string `json:"uuid"`
	BootIndex           int    `json:"boot_index"`
	VolumeSize          int    `json:"volume_size"`
	DeleteOnTermination bool   `json:"delete_on_termination"`
	VolumeType          string `json:"volume_type"`
}

// attachBlockDevices makes the Cinder volumes a new server's block device
// mapping asks for (from an image or blank) or attaches existing ones, and
// returns them with how to undo it all. Local (ephemeral) devices need
// nothing.
func (s *Server) attachBlockDevices(serverID, zone string, bdms []blockDevice, image Image) ([]attachedVolume, []func(), error) {
	var out []attachedVolume
	var undo []func()
	now, prog := s.cloud.Clock().Now(), s.opts.VolumeProgression
	for i, b := range bdms {
		if b.DestinationType != "volume" {
			continue
		}
		dev := "/dev/vd" + string(rune('a'+i))
		switch b.SourceType {
		case "volume":
			err := s.volumes.transition(b.UUID, now, prog, []string{"available"}, "in-use", func(v *volume) {
				v.ServerID, v.Device = serverID, dev
			})
			if err != nil {
				if err.Status == http.StatusNotFound {
					return out, undo, badRequest("Volume %s could not be found.", b.UUID)
				}
				return out, undo, badRequest("%s", err.Message)
			}
			id := b.UUID
			undo = append(undo, func() { s.detachVolume(id) })
		case "image", "blank":
			size := b.VolumeSize
			if b.SourceType == "image" {
				img, ok := s.image(b.UUID)
				if !ok {
					return out, undo, badRequest("Image %s could not be found.", b.UUID)
				}
				image = img
				if size < img.MinDisk {
					return out, undo, badRequest("Volume is smaller than the minimum size specified in image metadata. Volume size is %d bytes, minimum size is %d bytes.", size<<30, img.MinDisk<<30)
				}
			}
			if size < 1 {
				return out, undo, badRequest("Invalid input for field/attribute volume_size: a volume created for block device %d needs a size of at least 1 GiB", i)
			}
			v, err := s.volumes.create(volume{ID: s.cloud.NewUUID(), Zone: zone, Size: size, ImageID: image.ID,
				VolumeType: s.volumeType(b.VolumeType), Status: "in-use", ServerID: serverID, Device: dev}, now, prog, s.opts.Quotas)
			if err != nil {
				return out, undo, errorf(http.StatusForbidden, FaultQuotaExceeded, "%s", err.Message)
			}
			undo = append(undo, func() { s.volumes.remove(v.ID) })
			b.UUID = v.ID
		default:
			return out, undo, errorf(http.StatusNotImplemented, "NotImplemented",
				"the OpenStack simulator does not implement block devices with source_type %q", b.SourceType)
		}
		out = append(out, attachedVolume{ID: b.UUID, Device: dev, DeleteOnTermination: b.DeleteOnTermination})
	}
	return out, undo, nil
}

func (s *Server) volumeType(t string) string {
	if t == "" {
		return s.opts.VolumeTypes[0]
	}
	return t
}

func (s *Server) detachVolume(id string) {
	_ = s.volumes.transition(id, s.cloud.Clock().Now(), s.opts.VolumeProgression, []string{"in-use"}, "available", func(v *volume) {
		v.ServerID, v.Device = "", ""
	})
}

// releaseVolumes is Nova's volume cleanup when a server is deleted: volumes
// marked delete_on_termination are deleted, the others detached.
func (s *Server) releaseVolumes(vols []attachedVolume) {
	now, prog := s.cloud.Clock().Now(), s.opts.VolumeProgression
	for _, v := range vols {
		if v.DeleteOnTermination {
			_ = s.volumes.transition(v.ID, now, prog, []string{"in-use"}, "deleting", nil)
		} else {
			s.detachVolume(v.ID)
		}
	}
}
