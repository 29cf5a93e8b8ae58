// Package nodes makes simulated VMs join a Kubernetes cluster the way their
// kubelets would: when a VM is running, a Node registers with the name and
// spec.providerID a real node of that cloud carries, Ready, with a Lease
// renewed as heartbeat; when the VM dies (shutting-down, terminated) the
// node turns NotReady; when the VM vanishes, node and Lease disappear.
//
// It costs the API server what kubelets cost it, or less: a node's status
// is written when it changes (and looked at every StatusEvery, so a node
// someone deleted registers again), its Lease is renewed every Heartbeat
// from the copy last written, with no read, and registrations run a few
// at a time. Lease renewals stay within MaxRenewalsPerSecond: a simulated
// cluster too big for that renews less often and says so in each Lease's
// duration, so its nodes never look expired.
//
// We wrote a small registrar instead of embedding KWOK: for Nodes only it
// is deterministic, adds no dependencies (KWOK brings ~33 modules and an
// unstable Go API) and needs no kubeconfig file. KWOK earns its weight only
// if pod lifecycles must be simulated too.
package nodes

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// Identity is what a cloud's node looks like for one VM.
type Identity struct {
	Name         string
	ProviderID   string
	Zone         string
	InstanceType string
	InternalIP   string
}

// Options configure a Registrar.
type Options struct {
	// Config reaches the cluster the nodes join. Required.
	Config *rest.Config
	// Cloud holds the VMs. Required.
	Cloud *core.Cloud
	// Identify maps a VM to its node, and says whether it joins this
	// cluster at all (false for other clusters' VMs). Required. It is
	// called under the cloud's lock (Cloud.Visit): it must not call the
	// cloud, nor keep the VM's maps.
	Identify func(core.VM) (Identity, bool)
	// Interval is how often, in real time, VMs are compared with Nodes.
	// Zero means 200 ms.
	Interval time.Duration
	// Heartbeat is how often, in real time, a Lease is renewed (a
	// kubelet's renew interval). Zero means 10 s.
	Heartbeat time.Duration
	// StatusEvery is how often, in real time, a joined node is read back,
	// registered again if deleted and made Ready again if someone changed
	// that. Zero means 1 minute.
	StatusEvery time.Duration
	// MaxRenewalsPerSecond bounds Lease renewals of all nodes together;
	// beyond Heartbeat × MaxRenewalsPerSecond nodes, each renews less
	// often. Zero means 20: real kubelets of 1,000 nodes renew 100 times a
	// second, a fifth of what this box's API server takes in all, and
	// nothing that runs beside the simulator reads Leases.
	MaxRenewalsPerSecond int
	// Workers is how many nodes are written to at once. Zero means 16.
	Workers int
}

// Registrar keeps Nodes in step with VMs until stopped.
type Registrar struct {
	opts   Options
	client kubernetes.Interface
	cancel context.CancelFunc
	done   chan struct{}

	mu                 sync.Mutex
	joined             map[string]*member // by VM ID
	errs               []error
	leaseNamespaceMade bool
}

// member is one VM's node as the registrar last wrote it. Only one worker
// touches a member at a time (Sync hands each out once and waits).
type member struct {
	id         Identity
	registered bool // node created and made Ready
	ready      bool // the Ready condition last written is True
	lease      *coordinationv1.Lease
	lastLease  time.Time
	lastStatus time.Time
}

// Start begins registering nodes; Stop ends it.
func Start(opts Options) (*Registrar, error) {
	if opts.Config == nil || opts.Cloud == nil || opts.Identify == nil {
		return nil, errors.New("nodes.Start: Options.Config, Cloud and Identify are required")
	}
	opts.Interval = cmp.Or(opts.Interval, 200*time.Millisecond)
	opts.Heartbeat = cmp.Or(opts.Heartbeat, 10*time.Second)
	opts.StatusEvery = cmp.Or(opts.StatusEvery, time.Minute)
	opts.MaxRenewalsPerSecond = cmp.Or(opts.MaxRenewalsPerSecond, 20)
	opts.Workers = cmp.Or(opts.Workers, 16)
	cs, err := kubernetes.NewForConfig(opts.Config)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Registrar{opts: opts, client: cs, cancel: cancel, done: make(chan struct{}), joined: map[string]*member{}}
	go r.loop(ctx)
	return r, nil
}

// Stop ends the registrar and returns the API errors it met, joined.
func (r *Registrar) Stop() error {
	r.cancel()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.errs...)
}

func (r *Registrar) loop(ctx context.Context) {
	defer close(r.done)
	ticker := time.NewTicker(r.opts.Interval)
	defer ticker.Stop()
	for {
		r.Sync(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Sync compares VMs with Nodes once and does what is due, a few nodes at
// a time; the loop calls it every Interval.
func (r *Registrar) Sync(ctx context.Context) {
	present := map[string]bool{}
	var due []func()
	r.mu.Lock()
	renewEvery := r.renewInterval(len(r.joined))
	r.mu.Unlock()
	now := time.Now()
	r.opts.Cloud.Visit(func(vm core.VM) {
		r.mu.Lock()
		m, known := r.joined[vm.ID]
		r.mu.Unlock()
		if !known { // a member's identity does not change: worked out once
			id, ours := r.opts.Identify(vm)
			if !ours || id.Name == "" {
				return // not this cluster's, or a VM without a node name (its kubelet cannot register)
			}
			if vm.State() == core.Running {
				m = &member{id: id}
				r.mu.Lock()
				r.joined[vm.ID] = m
				r.mu.Unlock()
			}
		}
		present[vm.ID] = true
		if work := r.dueWork(vm, m, now, renewEvery); work != nil {
			due = append(due, func() { r.record(work(ctx)) })
		}
	})
	r.mu.Lock()
	for vmID, m := range r.joined {
		if !present[vmID] {
			delete(r.joined, vmID)
			due = append(due, func() { r.record(r.leave(ctx, m.id)) })
		}
	}
	r.mu.Unlock()
	r.run(due)
}

// dueWork returns what one VM's node needs now, or nil; m is nil for a
// VM that never ran here.
func (r *Registrar) dueWork(vm core.VM, m *member, now time.Time, renewEvery time.Duration) func(context.Context) error {
	switch vm.State() {
	case core.Running:
		switch {
		case !m.registered:
			return func(ctx context.Context) error { return r.register(ctx, m, renewEvery) }
		case now.Sub(m.lastStatus) >= r.opts.StatusEvery:
			return func(ctx context.Context) error { return r.checkStatus(ctx, m, renewEvery) }
		case now.Sub(m.lastLease) >= renewEvery:
			return func(ctx context.Context) error { return r.renewLease(ctx, m, renewEvery) }
		}
	case core.ShuttingDown, core.Terminated:
		if m != nil && m.ready {
			return func(ctx context.Context) error { return r.setReady(ctx, m, false) }
		}
	}
	return nil
}

// renewInterval is Heartbeat, or longer when n nodes renewing every
// Heartbeat would exceed MaxRenewalsPerSecond.
func (r *Registrar) renewInterval(n int) time.Duration {
	floor := time.Duration(n) * time.Second / time.Duration(r.opts.MaxRenewalsPerSecond)
	return max(r.opts.Heartbeat, floor)
}

// run does the work with at most Workers calls at once.
func (r *Registrar) run(work []func()) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, r.opts.Workers)
	for _, w := range work {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w()
		}()
	}
	wg.Wait()
}

func (r *Registrar) record(err error) {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, errAgain) {
		return // nothing, Stop interrupted a call, or the next round retries
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) < 20 {
		r.errs = append(r.errs, fmt.Errorf("node registrar: %w", err))
	}
}
