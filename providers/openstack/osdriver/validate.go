package osdriver

import (
	"net/url"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Validate checks spec and secret before any call, naming every field at
// fault. defaultAuthURL stands in for a secret without authURL. Names of
// flavors, images and security groups are checked against the cloud later.
func Validate(spec ProviderSpec, secret map[string][]byte, defaultAuthURL string) field.ErrorList {
	root := field.NewPath("providerSpec")
	var errs field.ErrorList
	if spec.FlavorName == "" {
		errs = append(errs, field.Required(root.Child("flavorName"), "the Nova flavor's name"))
	}
	switch {
	case spec.ImageName == "" && spec.ImageID == "":
		errs = append(errs, field.Required(root.Child("imageName"), "imageName or imageID"))
	case spec.ImageName != "" && spec.ImageID != "":
		errs = append(errs, field.Forbidden(root.Child("imageID"), "give imageName or imageID, not both"))
	}
	if spec.NetworkID == "" && spec.SubnetID == "" {
		errs = append(errs, field.Required(root.Child("networkID"), "networkID or subnetID"))
	}
	for i, g := range spec.SecurityGroups {
		if g == "" {
			errs = append(errs, field.Required(root.Child("securityGroups").Index(i), "a security group name"))
		}
	}
	if spec.RootDiskSize < 0 {
		errs = append(errs, field.Invalid(root.Child("rootDiskSize"), spec.RootDiskSize, "must be a positive number of GiB, or 0 to boot from the image"))
	}
	if spec.ClusterKey() == "" {
		errs = append(errs, field.Required(root.Child("tags"), "a key "+ClusterKeyPrefix+"<cluster> identifies the cluster's servers"))
	}
	if spec.RoleKey() == "" {
		errs = append(errs, field.Required(root.Child("tags"), "a key "+RoleKeyPrefix+"<role> identifies the servers' role"))
	}
	return append(errs, validateSecret(secret, defaultAuthURL)...)
}

// validateSecret checks the credentials: a password login needs username,
// password, domainName and tenantName; an application credential needs
// its secret and its ID (or its name with username and domainName).
func validateSecret(secret map[string][]byte, defaultAuthURL string) field.ErrorList {
	sec := field.NewPath("secret")
	var errs field.ErrorList
	required := func(keys ...string) {
		for _, k := range keys {
			if len(secret[k]) == 0 {
				errs = append(errs, field.Required(sec.Child(k), "must be set and not empty"))
			}
		}
	}
	switch auth := string(secret[SecretAuthURL]); {
	case auth == "" && defaultAuthURL == "":
		required(SecretAuthURL)
	case auth != "":
		if u, err := url.Parse(auth); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, field.Invalid(sec.Child(SecretAuthURL), "(not shown)", "must be an http or https URL of Keystone"))
		}
	}
	required(SecretRegion, SecretUserData)
	switch {
	case len(secret[SecretApplicationCredentialID]) > 0:
		required(SecretApplicationCredentialSecret)
	case len(secret[SecretApplicationCredentialName]) > 0:
		required(SecretApplicationCredentialSecret, SecretUsername, SecretDomainName)
	default:
		required(SecretUsername, SecretPassword, SecretDomainName, SecretTenantName)
	}
	return errs
}
