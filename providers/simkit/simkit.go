// Package simkit turns a running cloud simulator (a wire front-end on a
// simulators/core.Cloud) into what the provider registry and the
// conformance suite need: providers.Simulator, providers.Chaos,
// providers.NodeJoiner and providers.Oracle. The glue is written once here;
// a cloud brings only a Codec, its few cloud-specific facts: how its
// ProviderIDs name VMs, how its nodes look, which of its VMs belong to the
// cluster the suite joins, and how it fails natively.
//
// A provider's registration builds the front-end, wraps it with New and
// hands the result to providers.Register as NewSimulator's answer.
package simkit

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/client-go/rest"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
)

// Codec is what one cloud contributes.
type Codec interface {
	// VMID reads the cloud's VM ID from a ProviderID in any form a driver
	// may return (EC2 drivers use the zone or the region form); "" when it
	// names none.
	VMID(providerID string) string
	// ProviderID is the VM's ProviderID in the form the cloud's nodes carry.
	ProviderID(vm core.VM) string
	// Node says how the VM's node looks, and whether the VM belongs to the
	// cluster whose nodes the simulator joins at all.
	Node(vm core.VM) (nodes.Identity, bool)
	// MachineName is the machine name the VM was made for, as the driver
	// recorded it in the cloud (a tag, metadata, the server name).
	MachineName(vm core.VM) string
	// Fault is the cloud's own answer for a generic fault; ok is false for
	// a fault the cloud cannot produce. Operation may be left empty: the
	// rule then applies to the cloud's VM-creating operation.
	Fault(f providers.Fault) (rule core.FaultRule, ok bool)
	// CreateOperation names the operation that creates VMs ("RunInstances",
	// "CreateServer"), as the front-end passes it to core.Cloud.Intercept.
	CreateOperation() string
}

// Options configure a Simulator.
type Options struct {
	// Cloud is the inventory the front-end serves. Required.
	Cloud *core.Cloud
	// Codec is the cloud's. Required.
	Codec Codec
	// Env is the client environment pointing a driver at the front-end
	// (endpoints, region, credentials). Required; it is read at each Env
	// call, so a caller may fill it in once its endpoints are listening.
	Env map[string]string
	// Inject launches a running VM like spec outside the API, filled in as
	// a VM launched through the API would be (addresses, interfaces).
	// Nil means Cloud.Inject, with an ID shaped like the original's (its
	// prefix up to the last "-", then as many hex digits).
	Inject func(spec core.LaunchSpec) core.VM
	// Close stops the front-ends. Nil does nothing.
	Close func()
}

// Simulator is a simulator as the registry and the suite see it.
type Simulator struct {
	opts Options
}

var (
	_ providers.Simulator  = (*Simulator)(nil)
	_ providers.Chaos      = (*Simulator)(nil)
	_ providers.NodeJoiner = (*Simulator)(nil)
	_ providers.Oracle     = (*Simulator)(nil)
)

// New wraps a running simulator; it panics on a programming error (a
// missing Cloud, Codec or Env).
func New(opts Options) *Simulator {
	switch {
	case opts.Cloud == nil:
		panic("simkit.New: Options.Cloud is nil")
	case opts.Codec == nil:
		panic("simkit.New: Options.Codec is nil")
	case opts.Env == nil:
		panic("simkit.New: Options.Env is nil")
	}
	if opts.Inject == nil {
		opts.Inject = opts.Cloud.Inject
	}
	return &Simulator{opts: opts}
}

// Cloud is the inventory behind the simulator.
func (s *Simulator) Cloud() *core.Cloud { return s.opts.Cloud }

// Env implements providers.Simulator.
func (s *Simulator) Env() map[string]string {
	env := make(map[string]string, len(s.opts.Env))
	for k, v := range s.opts.Env {
		env[k] = v
	}
	return env
}

// Close implements providers.Simulator.
func (s *Simulator) Close() error {
	if s.opts.Close != nil {
		s.opts.Close()
	}
	return nil
}

// JoinNodes implements providers.NodeJoiner: the cluster's running VMs
// register as Nodes, except those held back by machine name.
func (s *Simulator) JoinNodes(cfg *rest.Config, held func(string) bool) (func() error, error) {
	reg, err := nodes.Start(nodes.Options{Config: cfg, Cloud: s.opts.Cloud, Identify: func(vm core.VM) (nodes.Identity, bool) {
		if held != nil && held(s.opts.Codec.MachineName(vm)) {
			return nodes.Identity{}, false
		}
		return s.opts.Codec.Node(vm)
	}})
	if err != nil {
		return nil, err
	}
	return reg.Stop, nil
}

// Duplicate implements providers.Chaos: a running twin of the VM (same
// tags, zone, type, image and owner's machine, a new ID) put in without
// an API call.
func (s *Simulator) Duplicate(providerID string) (string, error) {
	id := s.opts.Codec.VMID(providerID)
	for _, vm := range s.opts.Cloud.Snapshot() {
		if vm.ID != id {
			continue
		}
		cut := strings.LastIndex(vm.ID, "-") + 1
		twin := s.opts.Inject(core.LaunchSpec{Zone: vm.Zone, InstanceType: vm.InstanceType, ImageID: vm.ImageID,
			Tags: vm.Tags, Owner: core.Owner{Kind: core.Orphan, Cluster: vm.Owner.Cluster, Machine: vm.Owner.Machine},
			IDPrefix: vm.ID[:cut], IDDigits: len(vm.ID) - cut})
		return strings.TrimSuffix(providerID, id) + twin.ID, nil
	}
	return "", fmt.Errorf("Duplicate: no VM %q (from provider ID %q)", id, providerID)
}

// Vanish implements providers.Chaos.
func (s *Simulator) Vanish(providerID string) error {
	return s.opts.Cloud.Vanish(s.opts.Codec.VMID(providerID))
}

// Kill implements providers.Chaos.
func (s *Simulator) Kill(providerID string) error {
	return s.opts.Cloud.Kill(s.opts.Codec.VMID(providerID))
}

// Alive implements providers.Chaos: the truth, whatever reads lag says.
func (s *Simulator) Alive(providerID string) (alive, known bool) {
	id := s.opts.Codec.VMID(providerID)
	if _, known = s.opts.Cloud.Owner(id); !known {
		return false, false
	}
	for _, vm := range s.opts.Cloud.Live() {
		if vm.ID == id {
			return true, true
		}
	}
	return false, true
}

// Fail implements providers.Chaos with the cloud's native answer for f,
// on its VM-creating operation unless the codec names another. A fault the
// cloud cannot produce panics: the suite only asks for the generic ones.
func (s *Simulator) Fail(f providers.Fault, count int) func() {
	rule, ok := s.opts.Codec.Fault(f)
	if !ok {
		panic(fmt.Sprintf("simkit: the cloud's codec has no native form of fault %q", f))
	}
	rule.Name, rule.Count = string(f), count
	if rule.Operation == "" {
		rule.Operation = s.opts.Codec.CreateOperation()
	}
	s.opts.Cloud.AddFault(rule)
	return s.opts.Cloud.ClearFaults
}

// LiveVMs implements providers.Chaos.
func (s *Simulator) LiveVMs() []string {
	var ids []string
	for _, vm := range s.opts.Cloud.Live() {
		ids = append(ids, s.opts.Codec.ProviderID(vm))
	}
	return ids
}

// Lag implements providers.Chaos.
func (s *Simulator) Lag(d time.Duration) func() {
	prev := s.opts.Cloud.SetReadLag(d)
	return func() { s.opts.Cloud.SetReadLag(prev) }
}

// Census implements providers.Oracle: every VM the cloud ever had, with the
// machine name it was made for and whether it is alive now.
func (s *Simulator) Census() []providers.VMRecord {
	known := map[string]core.VM{}
	for _, vm := range s.opts.Cloud.Snapshot() {
		known[vm.ID] = vm
	}
	var out []providers.VMRecord
	for _, vm := range s.opts.Cloud.Census() {
		full, ok := known[vm.ID]
		if !ok {
			full = core.VM{ID: vm.ID}
		}
		out = append(out, providers.VMRecord{ProviderID: s.opts.Codec.ProviderID(full), Machine: vm.Owner.Machine,
			Alive: vm.Alive, Gone: !ok})
	}
	return out
}
