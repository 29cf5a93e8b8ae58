package osdriver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// ProviderSpec is the MachineClass providerSpec of the openstack provider.
// Field names follow MCM's OpenStack machine class.
type ProviderSpec struct {
	// FlavorName is the Nova flavor, by name.
	FlavorName string `json:"flavorName"`
	// ImageName is the Glance image, by name; ImageID names it by ID
	// instead. Exactly one is set.
	ImageName string `json:"imageName,omitempty"`
	ImageID   string `json:"imageID,omitempty"`
	// NetworkID is the Neutron network of the machine's port; SubnetID
	// places the port in one subnet of it instead. At least one is set.
	NetworkID string `json:"networkID,omitempty"`
	SubnetID  string `json:"subnetID,omitempty"`
	// SecurityGroups are applied to the machine's port, by name.
	SecurityGroups []string `json:"securityGroups,omitempty"`
	// AvailabilityZone of the server; empty lets Nova choose.
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	// KeyName is a Nova key pair.
	KeyName string `json:"keyName,omitempty"`
	// Tags become the server's Nova metadata; they must hold the keys
	// kubernetes.io-cluster-<name> and kubernetes.io-role-<role>.
	Tags map[string]string `json:"tags"`
	// RootDiskSize in GiB; when set the server boots from a Cinder volume
	// of that size made from the image and deleted with the server.
	RootDiskSize int `json:"rootDiskSize,omitempty"`
}

// Secret keys, spelled as MCM's OpenStack provider spells them.
const (
	SecretAuthURL                     = "authURL"
	SecretUsername                    = "username"
	SecretPassword                    = "password"
	SecretDomainName                  = "domainName"
	SecretTenantName                  = "tenantName"
	SecretRegion                      = "region"
	SecretUserData                    = "userData"
	SecretApplicationCredentialID     = "applicationCredentialID"
	SecretApplicationCredentialName   = "applicationCredentialName"
	SecretApplicationCredentialSecret = "applicationCredentialSecret"
)

// Metadata key prefixes that give a server's cluster and role.
const (
	ClusterKeyPrefix = "kubernetes.io-cluster-"
	RoleKeyPrefix    = "kubernetes.io-role-"
)

// DecodeSpec parses raw strictly and validates it with the secret data;
// defaultAuthURL stands in for a secret without authURL.
func DecodeSpec(raw []byte, secret map[string][]byte, defaultAuthURL string) (ProviderSpec, field.ErrorList) {
	var spec ProviderSpec
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return spec, field.ErrorList{field.Invalid(field.NewPath("providerSpec"), string(raw), fmt.Sprintf("not an openstack providerSpec: %v", err))}
	}
	return spec, Validate(spec, secret, defaultAuthURL)
}

// ClusterKey is the spec's kubernetes.io-cluster-<name> metadata key ("" when absent).
func (s ProviderSpec) ClusterKey() string { return keyWithPrefix(s.Tags, ClusterKeyPrefix) }

// RoleKey is the spec's kubernetes.io-role-<role> metadata key ("" when absent).
func (s ProviderSpec) RoleKey() string { return keyWithPrefix(s.Tags, RoleKeyPrefix) }

// keyWithPrefix returns the first (sorted) key with prefix and more.
func keyWithPrefix(tags map[string]string, prefix string) string {
	var keys []string
	for k := range tags {
		if strings.HasPrefix(k, prefix) && len(k) > len(prefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return keys[0]
}
