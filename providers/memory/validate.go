package memory

import (
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Validate checks a raw providerSpec (JSON) and the MachineClass secret's
// data. Every error names its field path, such as providerSpec.size or
// secret.token; an empty list means the driver accepts both.
func Validate(spec []byte, secret map[string][]byte) field.ErrorList {
	_, errs := DecodeSpec(spec, secret)
	return errs
}

// validateSpec checks a decoded, defaulted spec and the secret data.
func validateSpec(spec ProviderSpec, secret map[string][]byte) field.ErrorList {
	root := field.NewPath("providerSpec")
	var errs field.ErrorList
	if spec.Cluster == "" {
		errs = append(errs, field.Required(root.Child("cluster"), "the cluster the VMs belong to"))
	} else {
		errs = append(errs, dnsLabel(root.Child("cluster"), spec.Cluster)...)
	}
	errs = append(errs, dnsLabel(root.Child("role"), spec.Role)...)
	if !slices.Contains(Sizes, spec.Size) {
		errs = append(errs, field.Invalid(root.Child("size"), spec.Size, "must be one of "+strings.Join(Sizes, ", ")))
	}
	// The zone is a path segment of the ProviderID.
	errs = append(errs, dnsLabel(root.Child("zone"), spec.Zone)...)
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

func dnsLabel(path *field.Path, value string) field.ErrorList {
	var errs field.ErrorList
	for _, msg := range validation.IsDNS1123Label(value) {
		errs = append(errs, field.Invalid(path, value, msg))
	}
	return errs
}
