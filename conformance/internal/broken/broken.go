// Package broken holds deliberately broken drivers. Each wraps the memory
// reference driver, or the aws driver on the EC2 simulator where the break
// needs a cloud (node names, paging, client tokens), and breaks one rule of
// MCM's driver contract; the
// conformance suite proves itself by failing each of them in the expected
// spec with the expected message (see conformance/broken_test.go).
package broken

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/klog/v2"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
	"github.com/machine-conformance/machine-conformance/providers/memory"
)

// Case is one broken driver and how the suite must catch it. Most wrap the
// memory driver (Wrap); those that need a simulator wrap the aws driver
// (WrapAWS) and run against the EC2 simulator.
type Case struct {
	Name        string
	Breaks      string // the rule, in words
	Wrap        func(*memory.Driver) driver.Driver
	WrapAWS     func(driver.Driver) driver.Driver
	Labels      string // the Ginkgo label filter the run needs; default "driver || validation"
	Scale       int    // Config.ScaleMachines of the run, for cases the scale group catches
	WantSpec    string // a substring of the failing spec's text
	WantMessage string // a substring of its failure message
}

// Find returns the case named name.
func Find(name string) (Case, bool) {
	for _, c := range Cases() {
		if c.Name == name {
			return c, true
		}
	}
	return Case{}, false
}

func codeOf(err error) codes.Code {
	code, _ := machinecode.Of(err)
	return code
}

// Cases lists every broken driver.
func Cases() []Case {
	return []Case{
		{Name: "non-idempotent-create", Breaks: "CreateMachine MUST return the existing VM of a Machine",
			Wrap: func(d *memory.Driver) driver.Driver {
				var n atomic.Int32
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					m := r.Machine.DeepCopy()
					m.Name = fmt.Sprintf("%s-%d", m.Name, n.Add(1))
					return d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: m, MachineClass: r.MachineClass, Secret: r.Secret})
				}}
			},
			WantSpec: "CreateMachine for a Machine whose VM exists returns that VM", WantMessage: "made another VM"},
		{Name: "notfound-deleting-absent-vm", Breaks: "DeleteMachine MUST answer OK when the VM does not exist",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, delete: func(ctx context.Context, r *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
					_, err := d.GetMachineStatus(ctx, &driver.GetMachineStatusRequest{Machine: r.Machine, MachineClass: r.MachineClass, Secret: r.Secret})
					if codeOf(err) == codes.NotFound {
						return nil, err
					}
					return d.DeleteMachine(ctx, r)
				}}
			},
			WantSpec: "DeleteMachine of a VM that does not exist returns OK", WantMessage: "code NotFound"},
		{Name: "provider-id-without-scheme", Breaks: "ProviderIDs have the form <provider>://<id>",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					resp, err := d.CreateMachine(ctx, r)
					if resp != nil {
						resp.ProviderID = strings.TrimPrefix(resp.ProviderID, "memory:///")
					}
					return resp, err
				}}
			},
			WantSpec: "CreateMachine returns a ProviderID of the form", WantMessage: "is not of the form <provider>://<id>"},
		{Name: "empty-node-name", Breaks: "CreateMachine MUST return the node's name",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					resp, err := d.CreateMachine(ctx, r)
					if resp != nil {
						resp.NodeName = ""
					}
					return resp, err
				}}
			},
			WantSpec: "and a NodeName", WantMessage: "MUST return the NodeName"},
		{Name: "lists-foreign-vms", Breaks: "ListMachines SHALL return only the class's cluster's VMs",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, list: func(ctx context.Context, r *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
					if _, err := d.ListMachines(ctx, r); err != nil {
						return nil, err
					}
					all := map[string]string{}
					for _, vm := range d.Cloud().VMs() {
						all[vm.ProviderID] = vm.MachineName
					}
					return &driver.ListMachinesResponse{MachineList: all}, nil
				}}
			},
			WantSpec: "leave another cluster's VMs alone", WantMessage: "lists another cluster's VM"},
		{Name: "deletes-foreign-vms-by-name", Breaks: "DeleteMachine SHALL only act on the class's cluster",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, delete: func(ctx context.Context, r *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
					resp, err := d.DeleteMachine(ctx, r)
					for _, vm := range d.Cloud().VMs() {
						if vm.MachineName == r.Machine.Name {
							d.Cloud().Remove(vm.ProviderID)
						}
					}
					return resp, err
				}}
			},
			WantSpec: "leave another cluster's VMs alone", WantMessage: "deleted another cluster's VM"},
		{Name: "internal-for-invalid-spec", Breaks: "a bad providerSpec MUST be INVALID_ARGUMENT",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					resp, err := d.CreateMachine(ctx, r)
					if codeOf(err) == codes.InvalidArgument {
						return nil, status.Error(codes.Internal, err.Error())
					}
					return resp, err
				}}
			},
			WantSpec: "rejects every invalid fixture", WantMessage: "code Internal"},
		{Name: "plain-errors", Breaks: "every error MUST carry a machine code",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					resp, err := d.CreateMachine(ctx, r)
					if err != nil {
						return nil, errors.New("create failed: " + err.Error())
					}
					return resp, nil
				}}
			},
			WantSpec: "rejects every invalid fixture", WantMessage: "which is not a machine status"},
		{Name: "delete-does-nothing", Breaks: "DeleteMachine answering OK means the VM is gone",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, delete: func(context.Context, *driver.DeleteMachineRequest) (*driver.DeleteMachineResponse, error) {
					return &driver.DeleteMachineResponse{}, nil
				}}
			},
			WantSpec: "DeleteMachine removes the VM", WantMessage: "still listed after DeleteMachine returned OK"},
		{Name: "status-notfound-for-existing-vm", Breaks: "GetMachineStatus reports an existing VM",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, status: func(context.Context, *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
					return nil, status.Error(codes.NotFound, "never heard of it")
				}}
			},
			WantSpec: "GetMachineStatus of an existing VM", WantMessage: "code NotFound"},
		{Name: "status-ok-for-absent-vm", Breaks: "GetMachineStatus MUST answer NotFound for an absent VM",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, status: func(ctx context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
					resp, err := d.GetMachineStatus(ctx, r)
					if codeOf(err) == codes.NotFound {
						return &driver.GetMachineStatusResponse{}, nil
					}
					return resp, err
				}}
			},
			WantSpec: "GetMachineStatus of a VM that does not exist returns NotFound", WantMessage: "code OK"},
		{Name: "list-without-machine-names", Breaks: "ListMachines maps ProviderID to the Machine's name",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, list: func(ctx context.Context, r *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
					resp, err := d.ListMachines(ctx, r)
					if resp != nil {
						for id := range resp.MachineList {
							resp.MachineList[id] = ""
						}
					}
					return resp, err
				}}
			},
			WantSpec: "ListMachines maps each VM's ProviderID to its Machine's name", WantMessage: "to have {key: value}"},
		{Name: "ignores-idempotency-token", Breaks: "a retried CreateMachine must not launch a second VM",
			WrapAWS: func(d driver.Driver) driver.Driver {
				var n atomic.Int32
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					m := r.Machine.DeepCopy() // a fresh identity per call: the client token changes on every retry
					m.UID = types.UID(fmt.Sprintf("%s-attempt-%d", m.UID, n.Add(1)))
					return d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: m, MachineClass: r.MachineClass, Secret: r.Secret})
				}}
			},
			Labels:   "safety",
			WantSpec: "a retry after a lost CreateMachine answer makes no second VM", WantMessage: "2 VMs for one machine"},
		{Name: "prints-the-secret", Breaks: "Providers SHOULD NOT write potentially sensitive data to logs",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
					klog.Infof("creating machine %s with credentials %s", r.Machine.Name, r.Secret.Data[memory.SecretToken])
					return d.CreateMachine(ctx, r)
				}}
			},
			Labels:   "driver || secrets",
			WantSpec: "no value of the class Secret appears", WantMessage: `the value of secret key "token" appeared in klog output`},
		{Name: "leaks-a-vm-under-load", Breaks: "one VM per machine, and DeleteMachine removes it",
			WrapAWS: func(d driver.Driver) driver.Driver {
				var creates atomic.Int64
				return &override{Driver: d,
					create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
						if creates.Add(1)%10 == 0 { // a retry gone wrong: a second VM under a name no machine has
							twin := r.Machine.DeepCopy()
							twin.Name += "-twin"
							if _, err := d.CreateMachine(ctx, &driver.CreateMachineRequest{Machine: twin, MachineClass: r.MachineClass, Secret: r.Secret}); err != nil {
								return nil, err
							}
						}
						return d.CreateMachine(ctx, r)
					}}
			},
			Labels: "scale", Scale: 20,
			WantSpec: "takes a MachineSet of many machines to Running", WantMessage: "ListMachines lists 22 VMs for the class of 20 Running machines"},
		{Name: "wrong-node-name", Breaks: "NodeName must match with the node name",
			WrapAWS: func(d driver.Driver) driver.Driver {
				rename := func(name string) string { return "node-" + name }
				return &override{Driver: d,
					create: func(ctx context.Context, r *driver.CreateMachineRequest) (*driver.CreateMachineResponse, error) {
						resp, err := d.CreateMachine(ctx, r)
						if resp != nil {
							resp.NodeName = rename(resp.NodeName)
						}
						return resp, err
					},
					status: func(ctx context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
						resp, err := d.GetMachineStatus(ctx, r)
						if resp != nil {
							resp.NodeName = rename(resp.NodeName)
						}
						return resp, err
					}}
			},
			Labels:   "lifecycle",
			WantSpec: "takes a Machine to Running once the node the driver named joins", WantMessage: "registered as"},
		{Name: "status-reports-foreign-vm", Breaks: "GetMachineStatus SHALL only act on the class's cluster",
			Wrap: func(d *memory.Driver) driver.Driver {
				return &override{Driver: d, status: func(ctx context.Context, r *driver.GetMachineStatusRequest) (*driver.GetMachineStatusResponse, error) {
					resp, err := d.GetMachineStatus(ctx, r)
					if codeOf(err) != codes.NotFound {
						return resp, err
					}
					for _, vm := range d.Cloud().VMs() { // any cluster's VM of that name will do
						if vm.MachineName == r.Machine.Name {
							return &driver.GetMachineStatusResponse{ProviderID: vm.ProviderID, NodeName: vm.MachineName}, nil
						}
					}
					return resp, err
				}}
			},
			WantSpec: "GetMachineStatus does not report another cluster's VM", WantMessage: "only another cluster's VM"},
		{Name: "list-stops-after-first-page", Breaks: "ListMachines SHALL return all the class's VMs",
			WrapAWS: func(d driver.Driver) driver.Driver {
				return &override{Driver: d, list: func(ctx context.Context, r *driver.ListMachinesRequest) (*driver.ListMachinesResponse, error) {
					resp, err := d.ListMachines(ctx, r)
					if resp != nil && len(resp.MachineList) > firstPage { // what a driver that ignores NextToken sees
						first := map[string]string{}
						for _, id := range slices.Sorted(maps.Keys(resp.MachineList))[:firstPage] {
							first[id] = resp.MachineList[id]
						}
						resp.MachineList = first
					}
					return resp, err
				}}
			},
			Labels:   "paging",
			WantSpec: "past the cloud's page size", WantMessage: "missing"},
	}
}

// firstPage is the size of EC2's first DescribeInstances page.
const firstPage = 1000
