package ec2

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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

// launch is a validated RunInstances request.
type launch struct {
	region   *regionIndex
	image    Image
	typ      string
	vcpus    int
	min, max int
	zone     string
	tags     map[string]map[string]string
	userData []byte
	nics     []resolvedNIC
	volumes  []volumePlan
	attrs    map[string]string // what every instance of the launch shares
}

func runInstances(s *Server, req *request) (any, error) {
	l, err := s.parseLaunch(req)
	if err != nil {
		return nil, err
	}
	s.launchMu.Lock()
	defer s.launchMu.Unlock()
	defer s.ipam.settle()
	count, err := s.admit(req, l)
	if err != nil {
		return nil, err
	}
	first, err := s.instanceAttrs(l)
	if err != nil {
		return nil, err
	}
	spec := core.LaunchSpec{
		Count: count, IDPrefix: "i-", IDDigits: 17, Zone: l.zone, InstanceType: l.typ, VCPUs: l.vcpus,
		ImageID: l.image.ID, Tags: l.tags["instance"], Attrs: first, UserData: l.userData,
		ClientToken: req.get("ClientToken"), Owner: ownerOf(l.tags["instance"]),
	}
	vms, err := s.cloud.Launch(spec)
	var qe *core.QuotaError
	if errors.As(err, &qe) && l.min < count {
		spec.Count = l.min
		vms, err = s.cloud.Launch(spec)
	}
	if err != nil {
		return nil, launchError(err)
	}
	if vms, err = s.completeLaunch(l, vms); err != nil {
		return nil, err
	}
	resp := &runInstancesResponse{Xmlns: xmlns, RequestID: req.id}
	resp.OwnerID = s.world.AccountID
	now := s.cloud.Clock().Now()
	for i, vm := range vms {
		if i == 0 {
			resp.ReservationID = vm.Attrs[attrReservation]
		}
		x := s.instanceXML(vm, now)
		x.AmiLaunchIndex = i
		resp.Instances = append(resp.Instances, x)
	}
	return resp, nil
}

// parseLaunch checks a RunInstances request against the region's world.
func (s *Server) parseLaunch(req *request) (*launch, error) {
	l := &launch{region: s.region(req)}
	var err error
	if l.image, err = s.image(l.region, req.get("ImageId")); err != nil {
		return nil, err
	}
	if l.typ = req.get("InstanceType"); l.typ == "" {
		return nil, missingParameter("InstanceType")
	}
	var ok bool
	if l.vcpus, ok = l.region.types[l.typ]; !ok {
		return nil, invalidParameter(fmt.Sprintf("Invalid value '%s' for InstanceType.", l.typ))
	}
	if l.min, l.max, err = counts(req); err != nil {
		return nil, err
	}
	placement := req.get("Placement.AvailabilityZone")
	if placement != "" && !l.region.zones[placement] {
		return nil, invalidParameter(fmt.Sprintf("Invalid availability zone: [%s]", placement))
	}
	l.tags = launchTags(req)
	for typ := range l.tags {
		if !launchTaggable[typ] {
			return nil, invalidParameter(fmt.Sprintf("'%s' is not a valid taggable resource type for this operation.", typ))
		}
	}
	if l.userData, err = decodeUserData(req.get("UserData")); err != nil {
		return nil, err
	}
	if l.attrs, err = s.launchRefs(req, l.region, l.image); err != nil {
		return nil, err
	}
	specs, err := launchNICSpecs(req)
	if err != nil {
		return nil, err
	}
	if l.nics, l.zone, err = s.resolveNICs(l.region, specs, placement); err != nil {
		return nil, err
	}
	for _, n := range l.nics {
		if l.max > 1 && (n.privateIP != "" || len(n.ipv6) > 0 || len(n.prefixes) > 0) {
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination",
				Message: "Explicit private IPv4 addresses, IPv6 addresses or IPv6 prefixes can be given only when launching one instance (MaxCount 1)."}
		}
	}
	if l.volumes, err = volumePlans(req, l.image); err != nil {
		return nil, err
	}
	return l, nil
}

// instanceAttrs are one instance's attributes: the launch's shared ones,
// and its own interfaces, addresses and volume IDs.
func (s *Server) instanceAttrs(l *launch) (map[string]string, error) {
	a := map[string]string{}
	for k, v := range l.attrs {
		a[k] = v
	}
	nics, err := s.allocateNICs(l)
	if err != nil {
		return nil, err
	}
	setNICs(a, nics)
	p, _ := primaryNIC(nics)
	a[attrENI], a[attrSubnet], a[attrVPC], a[attrPrivateIP], a[attrPrivateDNS] = p.ID, p.SubnetID, p.VPCID, p.PrivateIP, p.PrivateDNS
	vols := make([]volume, len(l.volumes))
	for i, v := range l.volumes {
		vols[i] = volume{Device: v.device, ID: s.cloud.NewID("vol-", 17), SizeGiB: v.sizeGiB, DeleteOnTermination: v.deleteOnTermination}
	}
	raw, _ := json.Marshal(vols)
	a[attrVolumes] = string(raw)
	a[attrReservation] = s.cloud.NewID("r-", 17)
	return a, nil
}

// completeLaunch registers the volumes of instances the call created, after
// giving every instance but the first its own interfaces, addresses and
// volumes (the core hands all instances of a launch the same attributes).
// Instances an earlier call with the same client token created are
// returned as they are.
func (s *Server) completeLaunch(l *launch, vms []core.VM) ([]core.VM, error) {
	reservation := ""
	for i, vm := range vms {
		if s.volumes.knows(vm) {
			continue // an idempotent replay
		}
		if i == 0 {
			reservation = vm.Attrs[attrReservation]
		} else {
			own, err := s.instanceAttrs(l)
			if err != nil {
				return nil, err
			}
			own[attrReservation] = reservation
			if vms[i], err = s.cloud.UpdateAttrs(vm.ID, func(a map[string]string) {
				for k, v := range own {
					a[k] = v
				}
			}); err != nil {
				return nil, err
			}
		}
		s.volumes.register(vms[i], l, s.vmRegion(vms[i]))
	}
	return vms, nil
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

func (s *Server) privateDNS(region, ip string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
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
