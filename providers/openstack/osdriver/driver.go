package osdriver

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
)

// Options configure a Driver. The zero value talks to the cloud each
// Secret's authURL names.
type Options struct {
	// AuthURL is the Keystone URL for a Secret that has no authURL (the
	// provider registration passes OS_AUTH_URL). A Secret's own wins.
	AuthURL string
	// HTTPClient carries every request; nil means http.DefaultClient.
	HTTPClient *http.Client
	// BuildTimeout is how long CreateMachine waits for a new server to
	// leave BUILD; zero means DefaultBuildTimeout. A server still building
	// then is returned as created.
	BuildTimeout time.Duration
}

// Driver is the openstack provider's driver.Driver.
type Driver struct{ opts Options }

var _ driver.Driver = (*Driver)(nil)

// New returns a driver.
func New(opts Options) *Driver { return &Driver{opts: opts} }

// InitializeMachine is not needed on OpenStack: the server is complete
// once Nova builds it.
func (d *Driver) InitializeMachine(context.Context, *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	return nil, status.Error(codes.Unimplemented, "the openstack provider needs no initialization")
}

// CinderCSIDriver is the CSI driver whose volume handles are Cinder IDs.
const CinderCSIDriver = "cinder.csi.openstack.org"

// GetVolumeIDs returns the Cinder volume IDs of in-tree Cinder and Cinder
// CSI volumes and ignores all others.
func (d *Driver) GetVolumeIDs(_ context.Context, req *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	var ids []string
	for _, pv := range req.PVSpecs {
		switch {
		case pv == nil:
		case pv.Cinder != nil:
			ids = append(ids, pv.Cinder.VolumeID)
		case pv.CSI != nil && pv.CSI.Driver == CinderCSIDriver:
			ids = append(ids, pv.CSI.VolumeHandle)
		}
	}
	return &driver.GetVolumeIDsResponse{VolumeIDs: ids}, nil
}

// ProviderID formats a server's provider ID: openstack:///<region>/<id>.
func ProviderID(region, serverID string) string { return "openstack:///" + region + "/" + serverID }

// ServerID parses a provider ID of ProviderID's form; ok is false for any
// other string.
func ServerID(providerID string) (id string, ok bool) {
	rest, ok := strings.CutPrefix(providerID, "openstack:///")
	if !ok {
		return "", false
	}
	_, id, ok = strings.Cut(rest, "/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// prepareFor decodes the class and secret, checks the machine and logs in.
func (d *Driver) prepareFor(ctx context.Context, m *v1alpha1.Machine, class *v1alpha1.MachineClass, secret *corev1.Secret) (*call, error) {
	if m == nil || m.Name == "" {
		return nil, status.Error(codes.InvalidArgument, "the request's Machine is missing or has no name")
	}
	c, err := d.prepare(ctx, class, secret)
	if err != nil {
		return nil, err
	}
	c.machine = m.Name
	return c, nil
}

// prepare decodes the class and secret and logs in.
func (d *Driver) prepare(ctx context.Context, class *v1alpha1.MachineClass, secret *corev1.Secret) (*call, error) {
	if class == nil || secret == nil {
		return nil, status.Error(codes.InvalidArgument, "the request lacks the MachineClass or its Secret")
	}
	spec, errs := DecodeSpec(class.ProviderSpec.Raw, secret.Data, d.opts.AuthURL)
	if len(errs) > 0 {
		return nil, status.Error(codes.InvalidArgument, "MachineClass "+class.Name+": "+errs.ToAggregate().Error())
	}
	return d.login(ctx, spec, secret.Data)
}
