package altaws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// ProviderSpec is the MachineClass providerSpec this driver reads.
type ProviderSpec struct {
	ImageID          string   `json:"imageId"`
	InstanceType     string   `json:"instanceType"`
	Region           string   `json:"region"`
	AvailabilityZone string   `json:"availabilityZone,omitempty"` // default Region+"a"
	SubnetID         string   `json:"subnetId"`
	SecurityGroupIDs []string `json:"securityGroupIds"`
	ClusterName      string   `json:"clusterName"`
	NodeRole         string   `json:"nodeRole"`
	RootVolumeGiB    *int32   `json:"rootVolumeGiB,omitempty"` // nil keeps the image's size
}

// Zone is the availability zone the VM goes to.
func (s ProviderSpec) Zone() string {
	if s.AvailabilityZone != "" {
		return s.AvailabilityZone
	}
	return s.Region + "a"
}

// Root volume limits, EBS's for gp2/gp3.
const (
	minRootGiB = 1
	maxRootGiB = 16384
)

// fields maps every providerSpec field to where it is decoded, so decoding
// is strict and a problem names its field exactly.
func (s *ProviderSpec) fields() map[string]any {
	return map[string]any{
		"imageId": &s.ImageID, "instanceType": &s.InstanceType, "region": &s.Region,
		"availabilityZone": &s.AvailabilityZone, "subnetId": &s.SubnetID,
		"securityGroupIds": &s.SecurityGroupIDs, "clusterName": &s.ClusterName,
		"nodeRole": &s.NodeRole, "rootVolumeGiB": &s.RootVolumeGiB,
	}
}

// decodeSpec parses raw, refusing unknown fields and values of the wrong
// JSON type, then validates the values.
func decodeSpec(raw []byte) (ProviderSpec, problems) {
	var spec ProviderSpec
	var p problems
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		p.add("providerSpec", "want a JSON object with the fields "+strings.Join(knownFields(), ", "))
		return spec, p
	}
	targets := spec.fields()
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		target, ok := targets[key]
		if !ok {
			p.add("providerSpec."+key, "unknown field (known: "+strings.Join(knownFields(), ", ")+")")
			continue
		}
		if err := json.Unmarshal(obj[key], target); err != nil {
			p.add("providerSpec."+key, fmt.Sprintf("want %s, got %s", jsonKind(target), describeJSON(obj[key])))
		}
	}
	if len(p) > 0 {
		return spec, p
	}
	return spec, spec.validate()
}

func knownFields() []string {
	return slices.Sorted(maps.Keys((&ProviderSpec{}).fields()))
}

// jsonKind names what a decode target accepts.
func jsonKind(target any) string {
	switch target.(type) {
	case *string:
		return "a string"
	case *[]string:
		return "a list of strings"
	case **int32:
		return "an integer"
	}
	return "another JSON type"
}

// describeJSON says what a JSON value is, without repeating long values.
func describeJSON(v json.RawMessage) string {
	v = bytes.TrimSpace(v)
	kind := "a number"
	switch {
	case len(v) == 0:
		return "nothing"
	case v[0] == '"':
		kind = "a string"
	case v[0] == '{':
		kind = "an object"
	case v[0] == '[':
		kind = "a list"
	case v[0] == 't' || v[0] == 'f':
		kind = "a boolean"
	}
	if len(v) <= 40 {
		return kind + " " + string(v)
	}
	return kind
}

var (
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	typePattern     = regexp.MustCompile(`^[a-z0-9-]+\.[a-z0-9-]+$`)
	tagPartPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	resourcePattern = regexp.MustCompile(`^[a-z]+-[0-9a-f]{8}([0-9a-f]{9})?$`)
)

// validate checks the values of a decoded spec.
func (s ProviderSpec) validate() problems {
	var p problems
	p.resourceID("providerSpec.imageId", s.ImageID, "ami-")
	switch {
	case s.InstanceType == "":
		p.add("providerSpec.instanceType", "required, e.g. m5.large")
	case !typePattern.MatchString(s.InstanceType):
		p.add("providerSpec.instanceType", fmt.Sprintf("%q is not an EC2 instance type such as m5.large", s.InstanceType))
	}
	switch {
	case s.Region == "":
		p.add("providerSpec.region", "required, e.g. us-east-1")
	case !regionPattern.MatchString(s.Region):
		p.add("providerSpec.region", fmt.Sprintf("%q is not an AWS region such as us-east-1", s.Region))
	case s.AvailabilityZone != "" && !(strings.HasPrefix(s.AvailabilityZone, s.Region) && len(s.AvailabilityZone) > len(s.Region)):
		p.add("providerSpec.availabilityZone", fmt.Sprintf("%q is not a zone of region %s (e.g. %sa)", s.AvailabilityZone, s.Region, s.Region))
	}
	p.resourceID("providerSpec.subnetId", s.SubnetID, "subnet-")
	if len(s.SecurityGroupIDs) == 0 {
		p.add("providerSpec.securityGroupIds", "required: at least one security group ID (sg-...)")
	}
	for i, id := range s.SecurityGroupIDs {
		p.resourceID(fmt.Sprintf("providerSpec.securityGroupIds[%d]", i), id, "sg-")
	}
	p.tagPart("providerSpec.clusterName", s.ClusterName)
	p.tagPart("providerSpec.nodeRole", s.NodeRole)
	if r := s.RootVolumeGiB; r != nil && (*r < minRootGiB || *r > maxRootGiB) {
		p.add("providerSpec.rootVolumeGiB", fmt.Sprintf("%d is outside %d..%d; leave it out to keep the image's size", *r, minRootGiB, maxRootGiB))
	}
	return p
}

// resourceID checks an EC2 ID such as ami-0123456789abcdef0.
func (p *problems) resourceID(path, id, prefix string) {
	switch {
	case id == "":
		p.add(path, "required, e.g. "+prefix+"0123456789abcdef0")
	case !strings.HasPrefix(id, prefix) || !resourcePattern.MatchString(id):
		p.add(path, fmt.Sprintf("%q is not an ID of the form %s followed by 8 or 17 hex digits", id, prefix))
	}
}

// tagPart checks a name that becomes part of a tag key.
func (p *problems) tagPart(path, v string) {
	switch {
	case v == "":
		p.add(path, "required")
	case !tagPartPattern.MatchString(v):
		p.add(path, fmt.Sprintf("%q must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit", v))
	}
}
