package memory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

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

// Defaults of the optional providerSpec fields.
const (
	DefaultRole = "worker"
	DefaultZone = "zone-a"
)

// Sizes are the VM sizes the memory cloud offers, smallest first.
var Sizes = []string{"small", "medium", "large"}

// Secret keys the provider reads.
const (
	SecretToken    = "token"
	SecretUserData = "userData"
)

// DecodeSpec parses raw strictly (unknown fields and trailing data are
// errors), applies the defaults and validates the result together with the
// secret data. The spec is meaningful only when the error list is empty.
func DecodeSpec(raw []byte, secret map[string][]byte) (ProviderSpec, field.ErrorList) {
	var spec ProviderSpec
	if err := decodeStrict(raw, &spec); err != nil {
		root := field.NewPath("providerSpec")
		return spec, field.ErrorList{field.Invalid(root, string(raw), fmt.Sprintf("not a memory providerSpec: %v", err))}
	}
	if spec.Role == "" {
		spec.Role = DefaultRole
	}
	if spec.Zone == "" {
		spec.Zone = DefaultZone
	}
	return spec, validateSpec(spec, secret)
}

func decodeStrict(raw []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}
