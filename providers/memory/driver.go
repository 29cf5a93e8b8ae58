package memory

import (
	"context"
	"maps"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
)

// DefaultToken is the credential the memory cloud accepts unless Options say otherwise.
const DefaultToken = "memory-token"

// CSIDriver is the CSI driver name whose volumes GetVolumeIDs reports.
const CSIDriver = "memory.csi"

// Options configure a Driver. The zero value is usable.
type Options struct {
	// Cloud holds the VMs; nil means a new, private cloud.
	Cloud *Cloud
	// Token is the credential the secret's "token" must carry; empty means DefaultToken.
	Token string
	// MaxVMs is the quota of VMs in the whole cloud; 0 means unlimited.
	MaxVMs int
	// Initialize makes InitializeMachine succeed instead of answering Unimplemented.
	Initialize bool
}

// Driver is the memory provider's driver.Driver.
type Driver struct {
	cloud *Cloud
	opts  Options
}

var _ driver.Driver = (*Driver)(nil)

// New returns a driver over opts.Cloud.
func New(opts Options) *Driver {
	if opts.Cloud == nil {
		opts.Cloud = NewCloud()
	}
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	return &Driver{cloud: opts.Cloud, opts: opts}
}

// Cloud returns the cloud the driver acts on.
func (d *Driver) Cloud() *Cloud { return d.cloud }

// decode validates class and secret and checks the credential.
func (d *Driver) decode(class *v1alpha1.MachineClass, secret *corev1.Secret) (ProviderSpec, error) {
	if class == nil || secret == nil {
		return ProviderSpec{}, status.Error(codes.InvalidArgument, "request lacks the MachineClass or its Secret")
	}
	spec, errs := DecodeSpec(class.ProviderSpec.Raw, secret.Data)
	if len(errs) > 0 {
		return spec, status.Error(codes.InvalidArgument, errs.ToAggregate().Error())
	}
	if string(secret.Data[SecretToken]) != d.opts.Token {
		return spec, status.Error(codes.Unauthenticated, "secret.token is not a valid memory cloud credential")
	}
	return spec, nil
}

// decodeFor is decode plus the machine's name, which every per-machine call needs.
func (d *Driver) decodeFor(m *v1alpha1.Machine, class *v1alpha1.MachineClass, secret *corev1.Secret) (ProviderSpec, string, error) {
	spec, err := d.decode(class, secret)
	if err != nil {
		return spec, "", err
	}
	if m == nil || m.Name == "" {
		return spec, "", status.Error(codes.InvalidArgument, "Machine.Name is empty")
	}
	return spec, m.Name, nil
}

// CreateMachine creates the VM of a machine, or returns the one it already has.
func (d *Driver) CreateMachine(_ context.Context, req *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
	spec, name, err := d.decodeFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	d.cloud.mu.Lock()
	defer d.cloud.mu.Unlock()
	if existing := d.cloud.byMachine(spec.Cluster, name); len(existing) > 0 {
		vm := existing[0]
		if vm.Size != spec.Size {
			return nil, status.Error(codes.AlreadyExists, "VM "+vm.ID+" of machine "+name+" has size "+vm.Size+", the providerSpec asks for "+spec.Size)
		}
		return &driver.CreateMachineResponse{ProviderID: vm.ProviderID, NodeName: name}, nil
	}
	if d.opts.MaxVMs > 0 && len(d.cloud.vms) >= d.opts.MaxVMs {
		return nil, status.Error(codes.ResourceExhausted, "VM quota of the memory cloud reached")
	}
	vm := d.cloud.add(VM{Cluster: spec.Cluster, Role: spec.Role, Zone: spec.Zone, Size: spec.Size,
		MachineName: name, Tags: maps.Clone(spec.Tags)})
	return &driver.CreateMachineResponse{ProviderID: vm.ProviderID, NodeName: name, LastKnownState: "created " + vm.ID}, nil
}

// InitializeMachine answers Unimplemented unless Options.Initialize is set.
func (d *Driver) InitializeMachine(_ context.Context, req *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	if !d.opts.Initialize {
		return nil, status.Error(codes.Unimplemented, "the memory provider needs no initialization")
	}
	spec, name, err := d.decodeFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	d.cloud.mu.Lock()
	defer d.cloud.mu.Unlock()
	vms := d.cloud.byMachine(spec.Cluster, name)
	if len(vms) == 0 {
		return nil, status.Error(codes.NotFound, "no VM for machine "+name)
	}
	return &driver.InitializeMachineResponse{ProviderID: vms[0].ProviderID, NodeName: name}, nil
}

// DeleteMachine deletes the machine's VM (by provider ID, else by name) and
// answers OK when there is none. It never touches another cluster's VM.
func (d *Driver) DeleteMachine(_ context.Context, req *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
	spec, name, err := d.decodeFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	d.cloud.mu.Lock()
	defer d.cloud.mu.Unlock()
	if id := req.Machine.Spec.ProviderID; id != "" {
		if vm, ok := d.cloud.vms[id]; ok && vm.Cluster == spec.Cluster {
			delete(d.cloud.vms, id)
		}
		return &driver.DeleteMachineResponse{LastKnownState: "deleted"}, nil
	}
	for _, vm := range d.cloud.byMachine(spec.Cluster, name) {
		delete(d.cloud.vms, vm.ProviderID)
	}
	return &driver.DeleteMachineResponse{LastKnownState: "deleted"}, nil
}

// GetMachineStatus reports the machine's VM: NotFound if it has none,
// OutOfRange if several VMs carry its name.
func (d *Driver) GetMachineStatus(_ context.Context, req *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
	spec, name, err := d.decodeFor(req.Machine, req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	d.cloud.mu.Lock()
	defer d.cloud.mu.Unlock()
	vms := d.cloud.byMachine(spec.Cluster, name)
	switch len(vms) {
	case 0:
		return nil, status.Error(codes.NotFound, "no VM for machine "+name)
	case 1:
		return &driver.GetMachineStatusResponse{ProviderID: vms[0].ProviderID, NodeName: name}, nil
	default:
		return nil, status.Error(codes.OutOfRange, "several VMs carry machine name "+name)
	}
}

// ListMachines maps provider ID to machine name for the class's cluster only.
func (d *Driver) ListMachines(_ context.Context, req *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
	spec, err := d.decode(req.MachineClass, req.Secret)
	if err != nil {
		return nil, err
	}
	d.cloud.mu.Lock()
	defer d.cloud.mu.Unlock()
	out := map[string]string{}
	for id, vm := range d.cloud.vms {
		if vm.Cluster == spec.Cluster {
			out[id] = vm.MachineName
		}
	}
	return &driver.ListMachinesResponse{MachineList: out}, nil
}

// GetVolumeIDs returns the handles of the memory CSI driver's volumes and
// ignores every other kind of volume.
func (d *Driver) GetVolumeIDs(_ context.Context, req *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	var ids []string
	for _, pv := range req.PVSpecs {
		if pv != nil && pv.CSI != nil && pv.CSI.Driver == CSIDriver {
			ids = append(ids, pv.CSI.VolumeHandle)
		}
	}
	return &driver.GetVolumeIDsResponse{VolumeIDs: ids}, nil
}
