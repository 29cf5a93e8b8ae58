package memory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ProviderSpec is the MachineClass providerSpec of the memory provider.
type ProviderSpec struct {
	// Cluster identifies the cluster the VMs belong to. Required, a DNS label.
	Cluster string `json:"cluster"`
	// Role of the VMs. Default "worker".
	Role string `json:"role,omitempty"`
	// Size is one of small, medium, large. Required.
	Size string `json:"size"`
	// Zone is part of the ProviderID. Default "zone-a".
	Zone string `json:"zone,omitempty"`
	// Tags are put on the VMs.
	Tags map[string]string `json:"tags,omitempty"`
}

// Sizes are the VM sizes the memory cloud offers, with their vCPUs.
var Sizes = map[string]int{"small": 1, "medium": 2, "large": 4}

// Secret keys the provider reads.
const (
	SecretToken    = "token"
	SecretUserData = "userData"
)

// DecodeSpec parses raw strictly (unknown fields are errors), applies the
// defaults and validates the result together with the secret data.
func DecodeSpec(raw []byte, secret map[string][]byte) (ProviderSpec, field.ErrorList) {
	root := field.NewPath("providerSpec")
	var spec ProviderSpec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, field.ErrorList{field.Invalid(root, string(raw), fmt.Sprintf("not a memory providerSpec: %v", err))}
	}
	if spec.Role == "" {
		spec.Role = "worker"
	}
	if spec.Zone == "" {
		spec.Zone = "zone-a"
	}
	return spec, Validate(spec, secret)
}

// Validate checks a decoded spec and the secret data, naming each field at fault.
func Validate(spec ProviderSpec, secret map[string][]byte) field.ErrorList {
	root := field.NewPath("providerSpec")
	var errs field.ErrorList
	switch {
	case spec.Cluster == "":
		errs = append(errs, field.Required(root.Child("cluster"), "the cluster the VMs belong to"))
	default:
		for _, msg := range validation.IsDNS1123Label(spec.Cluster) {
			errs = append(errs, field.Invalid(root.Child("cluster"), spec.Cluster, msg))
		}
	}
	if _, ok := Sizes[spec.Size]; !ok {
		errs = append(errs, field.NotSupported(root.Child("size"), spec.Size, sizeNames()))
	}
	for _, msg := range validation.IsDNS1123Label(spec.Role) {
		errs = append(errs, field.Invalid(root.Child("role"), spec.Role, msg))
	}
	for k := range spec.Tags {
		if k == "" {
			errs = append(errs, field.Invalid(root.Child("tags"), k, "tag keys must not be empty"))
		}
	}
	sec := field.NewPath("secret")
	for _, key := range []string{SecretToken, SecretUserData} {
		if len(secret[key]) == 0 {
			errs = append(errs, field.Required(sec.Child(key), "must be set and not empty"))
		}
	}
	return errs
}

func sizeNames() []string {
	names := make([]string, 0, len(Sizes))
	for n := range Sizes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
