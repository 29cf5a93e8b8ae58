package osdriver

import (
	"cmp"
	"context"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
)

// call is everything one driver call needs: the decoded spec, the region
// and clients of the services, logged in with the class's credentials.
type call struct {
	spec     ProviderSpec
	region   string
	userData []byte
	machine  string // the machine's name, for per-machine calls
	compute  *gophercloud.ServiceClient
	network  *gophercloud.ServiceClient
	image    *gophercloud.ServiceClient
}

// authOptions reads the credentials of a validated secret.
func authOptions(authURL string, secret map[string][]byte) gophercloud.AuthOptions {
	s := func(k string) string { return string(secret[k]) }
	ao := gophercloud.AuthOptions{IdentityEndpoint: authURL}
	switch {
	case s(SecretApplicationCredentialID) != "":
		ao.ApplicationCredentialID, ao.ApplicationCredentialSecret = s(SecretApplicationCredentialID), s(SecretApplicationCredentialSecret)
	case s(SecretApplicationCredentialName) != "":
		ao.ApplicationCredentialName, ao.ApplicationCredentialSecret = s(SecretApplicationCredentialName), s(SecretApplicationCredentialSecret)
		ao.Username, ao.DomainName = s(SecretUsername), s(SecretDomainName)
	default:
		ao.Username, ao.Password, ao.DomainName, ao.TenantName = s(SecretUsername), s(SecretPassword), s(SecretDomainName), s(SecretTenantName)
	}
	return ao
}

// login authenticates at Keystone and finds Nova, Neutron and Glance in
// the token's catalog for the secret's region.
func (d *Driver) login(ctx context.Context, spec ProviderSpec, secret map[string][]byte) (*call, error) {
	authURL := cmp.Or(string(secret[SecretAuthURL]), d.opts.AuthURL)
	provider, err := openstack.NewClient(authURL)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, "secret.authURL: "+err.Error())
	}
	if d.opts.HTTPClient != nil {
		provider.HTTPClient = *d.opts.HTTPClient
	}
	if err := openstack.Authenticate(ctx, provider, authOptions(authURL, secret)); err != nil {
		return nil, machineError("authenticating at Keystone", err)
	}
	c := &call{spec: spec, region: string(secret[SecretRegion]), userData: secret[SecretUserData]}
	eo := gophercloud.EndpointOpts{Region: c.region}
	for _, svc := range []struct {
		name   string
		client **gophercloud.ServiceClient
		make   func(*gophercloud.ProviderClient, gophercloud.EndpointOpts) (*gophercloud.ServiceClient, error)
	}{{"compute", &c.compute, openstack.NewComputeV2}, {"network", &c.network, openstack.NewNetworkV2}, {"image", &c.image, openstack.NewImageV2}} {
		if *svc.client, err = svc.make(provider, eo); err != nil {
			return nil, status.Error(codes.InvalidArgument, "secret.region: the token's catalog has no "+svc.name+" endpoint in the secret's region")
		}
	}
	return c, nil
}
