package openstack

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// createServerRequest is the body of POST /servers.
type createServerRequest struct {
	Server struct {
		Name             string            `json:"name"`
		ImageRef         string            `json:"imageRef"`
		FlavorRef        string            `json:"flavorRef"`
		AvailabilityZone string            `json:"availability_zone"`
		Metadata         map[string]string `json:"metadata"`
		UserData         *string           `json:"user_data"`
		KeyName          string            `json:"key_name"`
		SecurityGroups   []struct {
			Name string `json:"name"`
		} `json:"security_groups"`
		Networks     json.RawMessage `json:"networks"`
		BlockDevices []blockDevice   `json:"block_device_mapping_v2"`
		MinCount     json.RawMessage `json:"min_count"`
		MaxCount     json.RawMessage `json:"max_count"`
		ConfigDrive  json.RawMessage `json:"config_drive"`
	} `json:"server"`
}

const maxUserData = 65535 // base64 characters, as Nova's user_data schema

// prepareCreateServer parses the body and names its fault-rule attributes:
// Name, Flavor, Image, Zone and meta:KEY for each metadata key.
func prepareCreateServer(_ *Server, c *call) error {
	req := &createServerRequest{}
	if err := readJSON(c.r, req); err != nil {
		return err
	}
	srv := req.Server
	c.attrs["Name"], c.attrs["Flavor"], c.attrs["Image"], c.attrs["Zone"] = srv.Name, srv.FlavorRef, srv.ImageRef, srv.AvailabilityZone
	for k, v := range srv.Metadata {
		c.attrs["meta:"+k] = v
	}
	c.input = req
	return nil
}

func createServer(s *Server, c *call) (reply, error) {
	req := c.input.(*createServerRequest).Server
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 255 {
		return reply{}, badRequest("Invalid input for field/attribute name. Value: %q. 'name' must be a non-empty string of at most 255 characters", req.Name)
	}
	if n, m := count(req.MinCount), count(req.MaxCount); n > 1 || m > 1 {
		return reply{}, errorf(http.StatusNotImplemented, "NotImplemented",
			"the OpenStack simulator does not implement creating several servers in one request (min_count %d, max_count %d)", n, m)
	}
	flavor, ok := s.flavor(req.FlavorRef)
	if !ok {
		return reply{}, badRequest("Flavor %s could not be found.", req.FlavorRef)
	}
	bootVolume := slices.ContainsFunc(req.BlockDevices, func(b blockDevice) bool { return b.BootIndex == 0 && b.DestinationType == "volume" })
	image, ok := s.image(req.ImageRef)
	if !ok && !(req.ImageRef == "" && bootVolume) {
		return reply{}, badRequest("Image %s could not be found.", req.ImageRef)
	}
	zone, err := s.zone(req.AvailabilityZone)
	if err != nil {
		return reply{}, err
	}
	if s.opts.KeyPairs != nil && req.KeyName != "" && !slices.Contains(s.opts.KeyPairs, req.KeyName) {
		return reply{}, badRequest("Invalid key_name provided.")
	}
	if err := checkMetadata(req.Metadata); err != nil {
		return reply{}, err
	}
	userData, err := decodeUserData(req.UserData)
	if err != nil {
		return reply{}, err
	}
	groups, groupIDs, err := s.securityGroups(req.SecurityGroups)
	if err != nil {
		return reply{}, err
	}
	nics, err := s.plannedNICs(req.Networks)
	if err != nil {
		return reply{}, err
	}
	id := s.cloud.NewUUID()
	attrs := map[string]string{AttrName: req.Name, attrFlavorID: flavor.ID, attrKeyName: req.KeyName,
		attrGroups: mustJSON(groups), attrConfigDisk: configDrive(req.ConfigDrive)}
	var undo []func()
	rollback := func() {
		for _, u := range slices.Backward(undo) {
			u()
		}
	}
	if c.noValidHost {
		attrs[attrFault] = FaultNoValidHost // the scheduler fails before networking and volumes
	} else {
		addrs, u, err := s.plugNICs(id, zone, nics, groupIDs)
		undo = append(undo, u...)
		if err != nil {
			rollback()
			return reply{}, err
		}
		vols, u, err := s.attachBlockDevices(id, zone, req.BlockDevices, image)
		undo = append(undo, u...)
		if err != nil {
			rollback()
			return reply{}, err
		}
		attrs[attrAddresses], attrs[attrVolumes] = mustJSON(addrs), mustJSON(vols)
	}
	vms, err := s.cloud.Launch(core.LaunchSpec{Count: 1, IDPrefix: id, Zone: zone, InstanceType: flavor.Name,
		VCPUs: flavor.VCPUs, ImageID: image.ID, Tags: req.Metadata, Attrs: attrs, UserData: userData,
		Owner: ownerOf(req.Name, req.Metadata)})
	if err != nil {
		rollback()
		return reply{}, launchError(err)
	}
	s.names.add(id, req.Name)
	base := s.baseURL(c.r)
	body := map[string]any{"id": vms[0].ID, "OS-DCF:diskConfig": "MANUAL", "adminPass": s.cloud.NewID("", 12),
		"security_groups": groupsJSON(groups), "links": serverSummary(base, vms[0])["links"]}
	return reply{status: http.StatusAccepted, body: map[string]any{"server": body}, vmID: id,
		header: map[string]string{"Location": base + computePath + "/servers/" + id}}, nil
}

func badRequest(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, "BadRequest", format, args...)
}

// count reads min_count/max_count, which Nova takes as number or string.
func count(raw json.RawMessage) int {
	n, _ := strconv.Atoi(strings.Trim(string(raw), `"`))
	return n
}

func configDrive(raw json.RawMessage) string {
	if b, _ := strconv.ParseBool(strings.Trim(string(raw), `"`)); b {
		return "True"
	}
	return ""
}

func decodeUserData(encoded *string) ([]byte, error) {
	if encoded == nil {
		return nil, nil
	}
	if len(*encoded) > maxUserData {
		return nil, badRequest("Invalid input for field/attribute user_data. Value: ... is too long")
	}
	data, err := base64.StdEncoding.DecodeString(*encoded)
	if err != nil {
		return nil, badRequest("Invalid input for field/attribute user_data. Value: %.20s... is not a base64 string", *encoded)
	}
	return data, nil
}

// launchError is Nova's answer to a refused launch.
func launchError(err error) error {
	var qe *core.QuotaError
	if errors.As(err, &qe) {
		resource := qe.Resource
		if resource == "vcpus" {
			resource = "cores"
		}
		return errorf(http.StatusForbidden, FaultQuotaExceeded, "%s", quotaMessage(resource, qe.Requested, qe.InUse, qe.Limit))
	}
	return err
}

func quotaMessage(resource string, requested, used, limit int) string {
	return "Quota exceeded for " + resource + ": Requested " + strconv.Itoa(requested) + ", but already used " +
		strconv.Itoa(used) + " of " + strconv.Itoa(limit) + " " + resource
}

func groupsJSON(names []string) []map[string]string {
	out := make([]map[string]string, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]string{"name": n})
	}
	return out
}
