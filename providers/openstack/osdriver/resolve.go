package osdriver

import (
	"context"
	"fmt"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
)

// resolved holds the cloud's IDs for the names a providerSpec gives.
type resolved struct {
	flavorID, imageID, networkID string
	securityGroupIDs             []string
}

// resolve looks up every name of the spec; a name the cloud does not know
// is InvalidArgument naming the field.
func (c *call) resolve(ctx context.Context) (resolved, error) {
	var r resolved
	var err error
	if r.flavorID, err = c.flavorID(ctx); err != nil {
		return r, err
	}
	if r.imageID, err = c.imageID(ctx); err != nil {
		return r, err
	}
	if r.networkID, err = c.networkID(ctx); err != nil {
		return r, err
	}
	for i, name := range c.spec.SecurityGroups {
		pages, err := groups.List(c.network, groups.ListOpts{Name: name}).AllPages(ctx)
		if err != nil {
			return r, machineError("listing security groups", err)
		}
		found, err := groups.ExtractGroups(pages)
		if err != nil {
			return r, machineError("reading security groups", err)
		}
		if len(found) != 1 {
			return r, invalid(fmt.Sprintf("providerSpec.securityGroups[%d]", i), "%d security groups are named %q, want one", len(found), name)
		}
		r.securityGroupIDs = append(r.securityGroupIDs, found[0].ID)
	}
	return r, nil
}

func (c *call) flavorID(ctx context.Context) (string, error) {
	pages, err := flavors.ListDetail(c.compute, nil).AllPages(ctx)
	if err != nil {
		return "", machineError("listing flavors", err)
	}
	all, err := flavors.ExtractFlavors(pages)
	if err != nil {
		return "", machineError("reading flavors", err)
	}
	for _, f := range all {
		if f.Name == c.spec.FlavorName {
			return f.ID, nil
		}
	}
	return "", invalid("providerSpec.flavorName", "no flavor is named %q", c.spec.FlavorName)
}

func (c *call) imageID(ctx context.Context) (string, error) {
	if id := c.spec.ImageID; id != "" {
		_, err := images.Get(ctx, c.image, id).Extract()
		if isNotFound(err) {
			return "", invalid("providerSpec.imageID", "no image has ID %q", id)
		}
		return id, machineError("reading image "+id, err)
	}
	pages, err := images.List(c.image, images.ListOpts{Name: c.spec.ImageName}).AllPages(ctx)
	if err != nil {
		return "", machineError("listing images", err)
	}
	found, err := images.ExtractImages(pages)
	if err != nil {
		return "", machineError("reading images", err)
	}
	if len(found) != 1 {
		return "", invalid("providerSpec.imageName", "%d images are named %q, want one", len(found), c.spec.ImageName)
	}
	return found[0].ID, nil
}

// networkID is the spec's network, or the network of its subnet.
func (c *call) networkID(ctx context.Context) (string, error) {
	if id := c.spec.SubnetID; id != "" {
		sn, err := subnets.Get(ctx, c.network, id).Extract()
		if isNotFound(err) {
			return "", invalid("providerSpec.subnetID", "no subnet has ID %q", id)
		}
		if err != nil {
			return "", machineError("reading subnet "+id, err)
		}
		if c.spec.NetworkID != "" && c.spec.NetworkID != sn.NetworkID {
			return "", invalid("providerSpec.subnetID", "subnet %q is not in network %q", id, c.spec.NetworkID)
		}
		return sn.NetworkID, nil
	}
	_, err := networks.Get(ctx, c.network, c.spec.NetworkID).Extract()
	if isNotFound(err) {
		return "", invalid("providerSpec.networkID", "no network has ID %q", c.spec.NetworkID)
	}
	return c.spec.NetworkID, machineError("reading network "+c.spec.NetworkID, err)
}

// invalid is InvalidArgument naming field.
func invalid(field, format string, args ...any) error {
	return status.Error(codes.InvalidArgument, field+": "+fmt.Sprintf(format, args...))
}
