package core

import (
	"fmt"
	"maps"
	"math/rand"
	"sort"
	"sync"
	"time"

	"k8s.io/utils/clock"
)

// Cloud is one simulated cloud account. All methods are safe for concurrent use.
type Cloud struct {
	opts  Options
	clock clock.Clock

	mu     sync.Mutex
	rng    *rand.Rand
	vms    map[string]*VM
	tokens map[string]tokenRecord
	faults []*faultState
	events []Event
	owners map[string]Owner // the oracle's memory outlives the VMs
	tags   tagIndex
	names  map[string]string // caller-chosen names to the VM that last took them (names.go)
	// operations are the long-running operations front-ends started (operations.go).
	operations map[string]*Operation
}

type tokenRecord struct {
	fingerprint string
	ids         []string
}

// New returns a cloud configured by opts.
func New(opts Options) *Cloud {
	c := &Cloud{opts: opts, clock: opts.Clock, vms: map[string]*VM{}, tokens: map[string]tokenRecord{},
		owners: map[string]Owner{}, tags: tagIndex{}, names: map[string]string{}, rng: rand.New(rand.NewSource(opts.Seed))}
	if c.clock == nil {
		c.clock = clock.RealClock{}
	}
	if c.opts.Progression.TerminatedRetention == 0 {
		c.opts.Progression.TerminatedRetention = time.Hour
	}
	for _, r := range opts.Faults {
		c.faults = append(c.faults, &faultState{rule: r})
	}
	return c
}

// Clock returns the cloud's clock.
func (c *Cloud) Clock() clock.Clock { return c.clock }

// NewID returns prefix followed by n seeded hex digits, e.g. NewID("i-", 17).
func (c *Cloud) NewID(prefix string, n int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.newIDLocked(prefix, n)
}

func (c *Cloud) newIDLocked(prefix string, n int) string {
	const hex = "0123456789abcdef"
	for {
		b := make([]byte, n)
		for i := range b {
			b[i] = hex[c.rng.Intn(16)]
		}
		id := prefix + string(b)
		if _, taken := c.vms[id]; !taken {
			return id
		}
	}
}

// LaunchSpec describes VMs to launch.
type LaunchSpec struct {
	Count        int
	IDPrefix     string // e.g. "i-"
	IDDigits     int    // e.g. 17
	Zone         string
	InstanceType string
	VCPUs        int // per VM, for the vCPU quota
	ImageID      string
	Tags         map[string]string
	Attrs        map[string]string
	UserData     []byte
	// ClientToken makes the launch idempotent: the same token with the same
	// parameters returns the same VMs, with others ErrIdempotentMismatch.
	ClientToken string
	Owner       Owner
	// Name is a caller-chosen name (GCE instances, Azure VMs, Nova can
	// have them unique by policy): no two live VMs share it, checked and
	// taken atomically by Launch (ErrNameTaken). Empty means none. A
	// named launch makes one VM.
	Name string
}

func (s LaunchSpec) fingerprint() string {
	return fmt.Sprintf("%d|%s|%s|%s", s.Count, s.Zone, s.InstanceType, s.ImageID)
}

// Launch creates spec.Count VMs in state pending (or returns the VMs an
// earlier launch with the same client token created). It fails with a
// *QuotaError when the quota would be exceeded.
func (c *Cloud) Launch(spec LaunchSpec) ([]VM, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	if spec.Count <= 0 {
		spec.Count = 1
	}
	if spec.ClientToken != "" {
		if rec, ok := c.tokens[spec.ClientToken]; ok {
			if rec.fingerprint != spec.fingerprint() {
				return nil, ErrIdempotentMismatch
			}
			out := make([]VM, 0, len(rec.ids))
			for _, id := range rec.ids {
				if vm, ok := c.vms[id]; ok {
					c.progress(vm, now)
					out = append(out, vm.clone())
				}
			}
			c.record(Event{Kind: KindCall, Operation: "Launch", Detail: "idempotent replay of token " + spec.ClientToken})
			return out, nil
		}
	}
	if err := c.checkNameLocked(spec); err != nil {
		return nil, err
	}
	if err := c.checkQuota(spec, now); err != nil {
		return nil, err
	}
	out := make([]VM, 0, spec.Count)
	var ids []string
	for i := 0; i < spec.Count; i++ {
		vm := &VM{
			ID: c.newIDLocked(spec.IDPrefix, spec.IDDigits), Zone: spec.Zone, InstanceType: spec.InstanceType,
			VCPUs: spec.VCPUs, ImageID: spec.ImageID, Tags: maps.Clone(spec.Tags), Attrs: maps.Clone(spec.Attrs),
			UserData: append([]byte(nil), spec.UserData...), ClientToken: spec.ClientToken,
			LaunchTime: now, Owner: spec.Owner, Name: spec.Name, state: Pending, stateSince: now,
			readyAfter: c.opts.Progression.PendingFor + c.jitter(),
		}
		c.vms[vm.ID] = vm
		c.owners[vm.ID] = spec.Owner
		c.tags.add(vm.ID, vm.Tags)
		if vm.Name != "" {
			c.names[vm.Name] = vm.ID
		}
		ids = append(ids, vm.ID)
		c.record(Event{Kind: KindState, VMID: vm.ID, Detail: string(Pending)})
		c.progress(vm, now)
		out = append(out, vm.clone())
	}
	if spec.ClientToken != "" {
		c.tokens[spec.ClientToken] = tokenRecord{fingerprint: spec.fingerprint(), ids: ids}
	}
	return out, nil
}

func (c *Cloud) jitter() time.Duration {
	if c.opts.Progression.Jitter <= 0 {
		return 0
	}
	return time.Duration(c.rng.Int63n(int64(c.opts.Progression.Jitter)))
}

func (c *Cloud) checkQuota(spec LaunchSpec, now time.Time) error {
	q := c.opts.Quota
	if q.MaxInstances == 0 && q.MaxVCPUs == 0 {
		return nil
	}
	instances, vcpus := 0, 0
	for _, vm := range c.vms {
		c.progress(vm, now)
		if vm.alive() {
			instances++
			vcpus += vm.VCPUs
		}
	}
	if q.MaxInstances > 0 && instances+spec.Count > q.MaxInstances {
		return &QuotaError{Resource: "instances", Limit: q.MaxInstances, InUse: instances, Requested: spec.Count}
	}
	if q.MaxVCPUs > 0 && vcpus+spec.Count*spec.VCPUs > q.MaxVCPUs {
		return &QuotaError{Resource: "vcpus", Limit: q.MaxVCPUs, InUse: vcpus, Requested: spec.Count * spec.VCPUs}
	}
	return nil
}

// Get returns a VM by ID; ErrNotFound if it does not exist or, under
// ReadLag, is too young to be seen.
func (c *Cloud) Get(id string) (VM, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	if vm, ok := c.vms[id]; ok {
		c.progress(vm, now) // may expunge it
	}
	vm, ok := c.vms[id]
	if !ok || !c.visible(vm, now) {
		return VM{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return vm.clone(), nil
}

// List returns the visible VMs that keep returns true for, ordered by ID.
// A nil keep keeps all. keep sees the VM's own maps and must not change them.
func (c *Cloud) List(keep func(VM) bool) []VM {
	c.mu.Lock()
	defer c.mu.Unlock()
	all := make([]*VM, 0, len(c.vms))
	for _, vm := range c.vms {
		all = append(all, vm)
	}
	return c.collect(all, keep)
}

// collect progresses candidates and returns copies of the visible ones keep
// accepts, ordered by ID. Callers hold c.mu.
func (c *Cloud) collect(candidates []*VM, keep func(VM) bool) []VM {
	now := c.clock.Now()
	out := []VM{}
	for _, vm := range candidates {
		c.progress(vm, now)
		if _, still := c.vms[vm.ID]; !still || !c.visible(vm, now) {
			continue
		}
		if keep == nil || keep(*vm) {
			out = append(out, vm.clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// visible applies the eventual-consistency lag.
func (c *Cloud) visible(vm *VM, now time.Time) bool {
	return c.opts.ReadLag <= 0 || now.Sub(vm.LaunchTime) >= c.opts.ReadLag
}

// Terminate starts terminating VMs; unknown IDs fail the whole call with
// ErrNotFound, as EC2 does. It returns each VM's state before and after.
func (c *Cloud) Terminate(ids []string) ([]StateChange, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	for _, id := range ids {
		if vm, ok := c.vms[id]; !ok || !c.visible(vm, now) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
		}
	}
	out := make([]StateChange, 0, len(ids))
	for _, id := range ids {
		vm := c.vms[id]
		c.progress(vm, now)
		before := vm.state
		if vm.alive() {
			c.setState(vm, ShuttingDown, now)
			c.progress(vm, now)
		}
		out = append(out, StateChange{ID: id, Previous: before, Current: vm.state})
	}
	return out, nil
}

// StateChange is one VM's transition caused by a call.
type StateChange struct {
	ID       string
	Previous State
	Current  State
}

// SetTags adds or replaces tags on VMs.
func (c *Cloud) SetTags(ids []string, tags map[string]string) error {
	return c.mutateTags(ids, func(vm *VM) {
		if vm.Tags == nil {
			vm.Tags = map[string]string{}
		}
		for k, v := range tags {
			vm.Tags[k] = v
		}
	})
}

// DeleteTags removes tags; a non-nil value only removes a tag with that value.
func (c *Cloud) DeleteTags(ids []string, tags map[string]*string) error {
	return c.mutateTags(ids, func(vm *VM) {
		for k, v := range tags {
			if v == nil || vm.Tags[k] == *v {
				delete(vm.Tags, k)
			}
		}
	})
}

func (c *Cloud) mutateTags(ids []string, mutate func(*VM)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.clock.Now()
	for _, id := range ids {
		if vm, ok := c.vms[id]; !ok || !c.visible(vm, now) {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
	}
	for _, id := range ids {
		vm := c.vms[id]
		c.tags.remove(id, vm.Tags)
		mutate(vm)
		c.tags.add(id, vm.Tags)
	}
	return nil
}
