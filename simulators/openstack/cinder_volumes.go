package openstack

import (
	"net/http"
	"slices"
	"strings"
)

// inProject checks the project ID of a Cinder URL against the token's.
func inProject(h func(*Server, *call) (reply, error)) func(*Server, *call) (reply, error) {
	return func(s *Server, c *call) (reply, error) {
		if p := c.r.PathValue("project"); p != s.opts.Project.ID {
			return reply{}, badRequest("Malformed request url: project_id '%s' does not match the token's project_id '%s'", p, s.opts.Project.ID)
		}
		return h(s, c)
	}
}

func (s *Server) volumeJSON(base string, v volume, detail bool) map[string]any {
	self := base + volumePath + "/" + s.opts.Project.ID + "/volumes/" + v.ID
	out := map[string]any{"id": v.ID, "name": v.Name, "links": []link{{Rel: "self", Href: self}}}
	if !detail {
		return out
	}
	attachments := []map[string]any{}
	if v.ServerID != "" {
		attachments = append(attachments, map[string]any{"id": v.ID, "volume_id": v.ID, "server_id": v.ServerID,
			"attachment_id": "a" + v.ID[1:], "device": v.Device, "host_name": nil, "attached_at": stamp(v.StatusSince, isoMicros)})
	}
	md := v.Metadata
	if md == nil {
		md = map[string]string{}
	}
	bootable := "false"
	if v.ImageID != "" {
		bootable = "true"
	}
	out["status"], out["size"], out["availability_zone"], out["attachments"] = v.Status, v.Size, v.Zone, attachments
	out["created_at"], out["updated_at"] = stamp(v.Created, isoMicros), stamp(v.StatusSince, isoMicros)
	out["description"], out["volume_type"], out["metadata"], out["bootable"] = v.Description, v.VolumeType, md, bootable
	out["user_id"], out["os-vol-tenant-attr:tenant_id"] = s.ownerUserID(), s.opts.Project.ID
	out["snapshot_id"], out["source_volid"], out["backup_id"], out["consistencygroup_id"] = nil, nil, nil, nil
	out["encrypted"], out["multiattach"], out["replication_status"] = false, false, nil
	if v.ImageID != "" {
		out["volume_image_metadata"] = map[string]string{"image_id": v.ImageID}
	}
	return out
}

// createVolume answers POST /volumes: 202, status creating, available after
// VolumeProgression.Creating.
func createVolume(s *Server, c *call) (reply, error) {
	var req struct {
		Volume struct {
			Size             int               `json:"size"`
			Name             string            `json:"name"`
			Description      string            `json:"description"`
			AvailabilityZone string            `json:"availability_zone"`
			VolumeType       string            `json:"volume_type"`
			Metadata         map[string]string `json:"metadata"`
			ImageRef         string            `json:"imageRef"`
			SnapshotID       string            `json:"snapshot_id"`
			SourceVolID      string            `json:"source_volid"`
			BackupID         string            `json:"backup_id"`
		} `json:"volume"`
	}
	if err := readJSON(c.r, &req); err != nil {
		return reply{}, err
	}
	v := req.Volume
	if v.SnapshotID != "" || v.SourceVolID != "" || v.BackupID != "" {
		return reply{}, errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement volumes from snapshots, other volumes or backups")
	}
	if v.Size < 1 {
		return reply{}, badRequest("Invalid input received: Volume size '%d' must be an integer and greater than 0.", v.Size)
	}
	zone := v.AvailabilityZone
	if zone == "" {
		zone = s.opts.Zones[0]
	} else if !slices.Contains(s.opts.Zones, zone) {
		return reply{}, badRequest("Invalid input received: Availability zone '%s' is invalid.", zone)
	}
	if v.VolumeType != "" && !slices.Contains(s.opts.VolumeTypes, v.VolumeType) {
		return reply{}, errorf(http.StatusNotFound, "VolumeTypeNotFound", "Volume type with name %s could not be found.", v.VolumeType)
	}
	if v.ImageRef != "" {
		img, ok := s.image(v.ImageRef)
		if !ok {
			return reply{}, badRequest("Invalid input received: Invalid image identifier or unable to access requested image.")
		}
		if v.Size < img.MinDisk {
			return reply{}, badRequest("Invalid input received: Volume size %dGB cannot be smaller than the image minDisk size %dGB.", v.Size, img.MinDisk)
		}
	}
	created, err := s.volumes.create(volume{ID: s.cloud.NewUUID(), Name: v.Name, Description: v.Description, Zone: zone,
		VolumeType: s.volumeType(v.VolumeType), ImageID: v.ImageRef, Size: v.Size, Metadata: v.Metadata},
		s.cloud.Clock().Now(), s.opts.VolumeProgression, s.opts.Quotas)
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusAccepted, body: map[string]any{"volume": s.volumeJSON(s.baseURL(c.r), created, true)}}, nil
}

func getVolume(s *Server, c *call) (reply, error) {
	v, ok := s.volumes.get(c.r.PathValue("id"), s.cloud.Clock().Now(), s.opts.VolumeProgression)
	if !ok {
		return reply{}, volumeNotFound(c.r.PathValue("id"))
	}
	return reply{status: http.StatusOK, body: map[string]any{"volume": s.volumeJSON(s.baseURL(c.r), v, true)}}, nil
}

// deleteVolume answers DELETE /volumes/{id}: 202, status deleting, gone
// after VolumeProgression.Deleting. Only available (or error) volumes
// may be deleted.
func deleteVolume(s *Server, c *call) (reply, error) {
	id := c.r.PathValue("id")
	err := s.volumes.transition(id, s.cloud.Clock().Now(), s.opts.VolumeProgression, []string{"available", "error"}, "deleting", nil)
	if err != nil && err.Status == http.StatusBadRequest {
		err.Message = "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer."
	}
	if err != nil {
		return reply{}, err
	}
	return reply{status: http.StatusAccepted}, nil
}

// volumeFilters are the list parameters the simulator honours; Cinder's
// others fail loudly.
var volumeFilters = []string{"name", "status", "metadata", "limit", "marker"}

// listVolumes answers GET /volumes and /volumes/detail, newest first,
// filtered by name, status and metadata, paged by limit and marker.
func listVolumes(s *Server, c *call) (reply, error) {
	q := c.r.URL.Query()
	for k := range q {
		if !slices.Contains(volumeFilters, k) {
			return reply{}, errorf(http.StatusNotImplemented, "NotImplemented", "the OpenStack simulator does not implement the volume list parameter %q", k)
		}
	}
	limit, err := pageLimit(q)
	if err != nil {
		return reply{}, err
	}
	md := parseMetadataFilter(q.Get("metadata"))
	all := s.volumes.list(s.cloud.Clock().Now(), s.opts.VolumeProgression)
	if m := q.Get("marker"); m != "" {
		i := slices.IndexFunc(all, func(v volume) bool { return v.ID == m })
		if i < 0 {
			return reply{}, badRequest("Invalid input received: marker [%s] not found", m)
		}
		all = all[i+1:]
	}
	base, detail := s.baseURL(c.r), strings.HasSuffix(c.r.URL.Path, "/detail")
	items := []any{}
	var last string
	for _, v := range all {
		if len(items) == limit {
			break
		}
		if (q.Get("name") == "" || q.Get("name") == v.Name) && (q.Get("status") == "" || q.Get("status") == v.Status) && hasMetadata(v.Metadata, md) {
			items = append(items, s.volumeJSON(base, v, detail))
			last = v.ID
		}
	}
	body := map[string]any{"volumes": items}
	if len(items) == limit {
		body["volumes_links"] = []link{{Rel: "next", Href: nextPage(base+c.r.URL.Path, q, limit, last)}}
	}
	return reply{status: http.StatusOK, body: body}, nil
}
