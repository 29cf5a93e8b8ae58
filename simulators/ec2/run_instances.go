package ec2

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

const maxUserData = 16 * 1024

// taggable resource types RunInstances accepts in TagSpecification.
var launchTaggable = map[string]bool{"instance": true, "volume": true, "network-interface": true}

// runInstancesAttrs are the fault-rule attributes of a RunInstances call.
func runInstancesAttrs(req *request) map[string]string {
	attrs := map[string]string{
		"InstanceType": req.get("InstanceType"), "ImageId": req.get("ImageId"),
		"ClientToken": req.get("ClientToken"), "Zone": req.get("Placement.AvailabilityZone"),
	}
	if attrs["ClientToken"] == "" {
		delete(attrs, "ClientToken")
	}
	for k, v := range launchTags(req)["instance"] {
		attrs["tag:"+k] = v
	}
	return attrs
}

// launchTags reads TagSpecification.N by resource type.
func launchTags(req *request) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, m := range req.members("TagSpecification") {
		typ := req.get(m + ".ResourceType")
		if out[typ] == nil {
			out[typ] = map[string]string{}
		}
		for k, v := range req.tags(m + ".Tag") {
			out[typ][k] = v
		}
	}
	return out
}

func runInstances(s *Server, req *request) (any, error) {
	image, err := s.image(req.get("ImageId"))
	if err != nil {
		return nil, err
	}
	typ := req.get("InstanceType")
	if typ == "" {
		return nil, missingParameter("InstanceType")
	}
	vcpus, ok := s.opts.InstanceTypes[typ]
	if !ok {
		return nil, invalidParameter(fmt.Sprintf("Invalid value '%s' for InstanceType.", typ))
	}
	minCount, maxCount, err := counts(req)
	if err != nil {
		return nil, err
	}
	zone, err := s.zone(req.get("Placement.AvailabilityZone"))
	if err != nil {
		return nil, err
	}
	tags := launchTags(req)
	for typ := range tags {
		if !launchTaggable[typ] {
			return nil, invalidParameter(fmt.Sprintf("'%s' is not a valid taggable resource type for this operation.", typ))
		}
	}
	userData, err := decodeUserData(req.get("UserData"))
	if err != nil {
		return nil, err
	}
	attrs, err := s.launchAttrs(req, image)
	if err != nil {
		return nil, err
	}
	spec := core.LaunchSpec{
		Count: maxCount, IDPrefix: "i-", IDDigits: 17, Zone: zone, InstanceType: typ, VCPUs: vcpus,
		ImageID: image.ID, Tags: tags["instance"], Attrs: attrs, UserData: userData,
		ClientToken: req.get("ClientToken"), Owner: ownerOf(tags["instance"]),
	}
	vms, err := s.cloud.Launch(spec)
	var qe *core.QuotaError
	if errors.As(err, &qe) && minCount < maxCount {
		spec.Count = minCount
		vms, err = s.cloud.Launch(spec)
	}
	if err != nil {
		return nil, launchError(err)
	}
	resp := &runInstancesResponse{Xmlns: xmlns, RequestID: req.id}
	resp.OwnerID = s.opts.AccountID
	for i, vm := range vms {
		if i == 0 {
			resp.ReservationID = vm.Attrs[attrReservation]
		}
		x := toInstanceXML(vm)
		x.AmiLaunchIndex = i
		resp.Instances = append(resp.Instances, x)
	}
	return resp, nil
}

func counts(req *request) (int, int, error) {
	if req.get("MinCount") == "" {
		return 0, 0, missingParameter("MinCount")
	}
	if req.get("MaxCount") == "" {
		return 0, 0, missingParameter("MaxCount")
	}
	minCount, err := req.intParam("MinCount", 1)
	if err != nil {
		return 0, 0, err
	}
	maxCount, err := req.intParam("MaxCount", 1)
	if err != nil {
		return 0, 0, err
	}
	if minCount < 1 || maxCount < minCount {
		return 0, 0, invalidParameter(fmt.Sprintf("MinCount (%d) must be at least 1 and at most MaxCount (%d).", minCount, maxCount))
	}
	return minCount, maxCount, nil
}

func decodeUserData(encoded string) ([]byte, error) {
	if encoded == "" {
		return nil, nil
	}
	data, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, invalidParameter("Invalid BASE64 encoding of user data.")
	}
	if len(data) > maxUserData {
		return nil, invalidParameter(fmt.Sprintf("User data is limited to %d bytes.", maxUserData))
	}
	return data, nil
}

// launchAttrs records subnet, network interface, IAM profile, key, groups
// and volumes of a launch, and allocates the private address.
func (s *Server) launchAttrs(req *request, image Image) (map[string]string, error) {
	a := map[string]string{attrRootDevice: image.RootDeviceName, attrArch: image.Architecture, attrKeyName: req.get("KeyName")}
	a[attrSubnet] = cmp.Or(req.get("SubnetId"), req.get("NetworkInterface.1.SubnetId"))
	if a[attrSubnet] != "" {
		a[attrVPC] = "vpc-" + strings.TrimPrefix(a[attrSubnet], "subnet-")
	}
	groups := req.list("SecurityGroupId")
	groups = append(groups, req.list("NetworkInterface.1.SecurityGroupId")...)
	g, _ := json.Marshal(groups)
	a[attrGroups] = string(g)
	switch arn, name := req.get("IamInstanceProfile.Arn"), req.get("IamInstanceProfile.Name"); {
	case arn != "":
		a[attrIAMArn] = arn
	case name != "":
		a[attrIAMArn] = "arn:aws:iam::" + s.opts.AccountID + ":instance-profile/" + name
	}
	vols, err := s.volumes(req, image)
	if err != nil {
		return nil, err
	}
	v, _ := json.Marshal(vols)
	a[attrVolumes] = string(v)
	ip := s.allocateIP()
	a[attrPrivateIP] = ip
	a[attrPrivateDNS] = s.privateDNS(ip)
	a[attrENI] = s.cloud.NewID("eni-", 17)
	a[attrReservation] = s.cloud.NewID("r-", 17)
	return a, nil
}

func (s *Server) volumes(req *request, image Image) ([]volume, error) {
	vols := []volume{{Device: image.RootDeviceName, ID: s.cloud.NewID("vol-", 17), SizeGiB: 8, DeleteOnTermination: true}}
	for _, m := range req.members("BlockDeviceMapping") {
		dev := req.get(m + ".DeviceName")
		if dev == "" {
			return nil, missingParameter(m + ".DeviceName")
		}
		size, err := req.intParam(m+".Ebs.VolumeSize", 8)
		if err != nil {
			return nil, err
		}
		if size < 1 || size > 16384 {
			return nil, invalidParameter(fmt.Sprintf("Volume of %d GiB is outside 1..16384 (%s).", size, m))
		}
		del := req.get(m+".Ebs.DeleteOnTermination") != "false"
		if dev == image.RootDeviceName {
			vols[0].SizeGiB, vols[0].DeleteOnTermination = size, del
			continue
		}
		vols = append(vols, volume{Device: dev, ID: s.cloud.NewID("vol-", 17), SizeGiB: size, DeleteOnTermination: del})
	}
	return vols, nil
}

func (s *Server) allocateIP() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.nextIP
	s.nextIP++
	return "10.0." + strconv.Itoa(n/250) + "." + strconv.Itoa(n%250+4)
}

func (s *Server) privateDNS(ip string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if s.opts.Region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + s.opts.Region + ".compute.internal"
}

func (s *Server) image(id string) (Image, error) {
	if id == "" {
		return Image{}, missingParameter("ImageId")
	}
	for _, img := range s.opts.Images {
		if img.ID == id {
			return img, nil
		}
	}
	return Image{}, &apiError{Status: http.StatusBadRequest, Code: "InvalidAMIID.NotFound",
		Message: fmt.Sprintf("The image id '[%s]' does not exist", id)}
}

func (s *Server) zone(z string) (string, error) {
	if z == "" {
		return s.opts.Zones[0], nil
	}
	for _, known := range s.opts.Zones {
		if known == z {
			return z, nil
		}
	}
	return "", invalidParameter(fmt.Sprintf("Invalid availability zone: [%s]", z))
}

// ownerOf reads the oracle's truth from launch tags: the cluster from
// kubernetes.io/cluster/<name>, the machine from Name.
func ownerOf(tags map[string]string) core.Owner {
	o := core.Owner{Kind: core.Managed, Machine: tags["Name"]}
	for k := range tags {
		if c, ok := strings.CutPrefix(k, "kubernetes.io/cluster/"); ok {
			o.Cluster = c
		}
	}
	return o
}

func launchError(err error) error {
	var qe *core.QuotaError
	switch {
	case errors.As(err, &qe) && qe.Resource == "vcpus":
		return &apiError{Status: http.StatusBadRequest, Code: "VcpuLimitExceeded", Message: fmt.Sprintf(
			"You have requested more vCPU capacity than your current vCPU limit of %d allows for the instance bucket that the specified instance type belongs to.", qe.Limit)}
	case errors.As(err, &qe):
		return &apiError{Status: http.StatusBadRequest, Code: "InstanceLimitExceeded", Message: fmt.Sprintf(
			"You have requested more instances (%d) than your current instance limit of %d allows.", qe.InUse+qe.Requested, qe.Limit)}
	case errors.Is(err, core.ErrIdempotentMismatch):
		return &apiError{Status: http.StatusBadRequest, Code: "IdempotentParameterMismatch",
			Message: "The client token you have provided is associated with a resource that is already deleted or has different parameters."}
	}
	return err
}
