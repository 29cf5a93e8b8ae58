// Package nodes makes simulated VMs join a Kubernetes cluster the way their
// kubelets would: when a VM is running, a Node registers with the name and
// spec.providerID a real node of that cloud carries, Ready, with a Lease
// renewed as heartbeat; when the VM dies (shutting-down, terminated) the
// node turns NotReady; when the VM vanishes, node and Lease disappear.
//
// We wrote a small registrar instead of embedding KWOK: for Nodes only it
// is deterministic, adds no dependencies (KWOK brings ~33 modules and an
// unstable Go API) and needs no kubeconfig file. KWOK earns its weight only
// if pod lifecycles must be simulated too.
package nodes

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

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
	// cluster at all (false for other clusters' VMs). Required.
	Identify func(core.VM) (Identity, bool)
	// Interval is how often, in real time, VMs are compared with Nodes.
	// Zero means 200 ms.
	Interval time.Duration
	// Heartbeat is how often, in real time, Leases and Ready conditions are
	// renewed. Zero means 10 s.
	Heartbeat time.Duration
}

// Registrar keeps Nodes in step with VMs until stopped.
type Registrar struct {
	opts   Options
	client kubernetes.Interface
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	joined map[string]*member // by VM ID
	errs   []error
}

type member struct {
	id       Identity
	lastBeat time.Time
	ready    bool
}

// Start begins registering nodes; Stop ends it.
func Start(opts Options) (*Registrar, error) {
	if opts.Config == nil || opts.Cloud == nil || opts.Identify == nil {
		return nil, errors.New("nodes.Start: Options.Config, Cloud and Identify are required")
	}
	if opts.Interval == 0 {
		opts.Interval = 200 * time.Millisecond
	}
	if opts.Heartbeat == 0 {
		opts.Heartbeat = 10 * time.Second
	}
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

// Sync compares VMs with Nodes once; the loop calls it every Interval.
func (r *Registrar) Sync(ctx context.Context) {
	present := map[string]bool{}
	for _, vm := range r.opts.Cloud.Snapshot() {
		id, ours := r.opts.Identify(vm)
		if !ours || id.Name == "" {
			continue // not this cluster's, or a VM without a node name (its kubelet cannot register)
		}
		present[vm.ID] = true
		r.step(ctx, vm, id)
	}
	r.mu.Lock()
	var gone []*member
	for vmID, m := range r.joined {
		if !present[vmID] {
			gone = append(gone, m)
			delete(r.joined, vmID)
		}
	}
	r.mu.Unlock()
	for _, m := range gone {
		r.record(r.leave(ctx, m.id))
	}
}

func (r *Registrar) step(ctx context.Context, vm core.VM, id Identity) {
	r.mu.Lock()
	m, known := r.joined[vm.ID]
	r.mu.Unlock()
	switch vm.State() {
	case core.Running:
		if !known {
			m = &member{id: id}
			r.mu.Lock()
			r.joined[vm.ID] = m
			r.mu.Unlock()
		}
		if !m.ready || time.Since(m.lastBeat) >= r.opts.Heartbeat {
			err := r.beat(ctx, id, true)
			r.record(err)
			if err == nil {
				m.ready, m.lastBeat = true, time.Now()
			}
		}
	case core.ShuttingDown, core.Terminated:
		if known && m.ready {
			err := r.beat(ctx, id, false)
			r.record(err)
			if err == nil {
				m.ready = false
			}
		}
	}
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
