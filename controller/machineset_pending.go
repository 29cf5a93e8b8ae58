package controller

import (
	"context"
	"sync"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// pendingExpiry bounds how long a write waits to show in the cache before
// it is no longer counted: a watch that was lost and relisted delivers the
// missed events, so this is a last resort, as in the ReplicaSet controller.
const pendingExpiry = 5 * time.Minute

// pendingChanges remembers, per MachineSet, the machines the MachineSet
// controller created or deleted whose effect its cache has not shown yet.
// A reconcile on a lagging cache then neither creates a machine twice nor
// deletes one twice, without reading every machine from the API server
// (the ReplicaSet controller's expectations, kept by machine name).
//
// Names are recorded before the write is sent, so the watch event that
// settles one can never arrive before it is recorded.
type pendingChanges struct {
	mu      sync.Mutex
	now     func() time.Time
	creates map[types.UID]map[string]time.Time // MachineSet UID, machine name: when
	deletes map[types.UID]map[string]time.Time
}

func newPendingChanges(now func() time.Time) *pendingChanges {
	return &pendingChanges{now: now, creates: map[types.UID]map[string]time.Time{}, deletes: map[types.UID]map[string]time.Time{}}
}

func (p *pendingChanges) expectCreate(set types.UID, name string) { p.add(p.creates, set, name) }
func (p *pendingChanges) expectDelete(set types.UID, name string) { p.add(p.deletes, set, name) }

// forgetCreate drops a create that failed, so it is not waited for.
func (p *pendingChanges) forgetCreate(set types.UID, name string) { p.drop(p.creates, set, name) }

// forgetDelete drops a delete that failed.
func (p *pendingChanges) forgetDelete(set types.UID, name string) { p.drop(p.deletes, set, name) }

func (p *pendingChanges) add(m map[types.UID]map[string]time.Time, set types.UID, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m[set] == nil {
		m[set] = map[string]time.Time{}
	}
	m[set][name] = p.now()
}

func (p *pendingChanges) drop(m map[types.UID]map[string]time.Time, set types.UID, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(m[set], name)
	if len(m[set]) == 0 {
		delete(m, set)
	}
}

// observe settles what a watch event shows of one owned machine: that it
// exists settles its create; that it is being deleted, or gone, settles
// its delete too.
func (p *pendingChanges) observe(set types.UID, name string, deleting bool) {
	p.drop(p.creates, set, name)
	if deleting {
		p.drop(p.deletes, set, name)
	}
}

// view is what a reconcile counts on top of its cached machines.
type view struct {
	// creating is how many machines were created but are not cached yet.
	creating int
	// deleting names cached machines whose deletion is not cached yet.
	deleting map[string]bool
}

// settle reconciles the pending writes of one set with its cached machines
// and returns what the cache does not show yet. Writes the cache already
// shows, and those older than pendingExpiry, are dropped.
func (p *pendingChanges) settle(set types.UID, cached []v1alpha1.Machine) view {
	byName := make(map[string]*v1alpha1.Machine, len(cached))
	for i := range cached {
		byName[cached[i].Name] = &cached[i]
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	v := view{deleting: map[string]bool{}}
	now := p.now()
	for name, at := range p.creates[set] {
		if _, shown := byName[name]; shown || now.Sub(at) > pendingExpiry {
			delete(p.creates[set], name)
			continue
		}
		v.creating++
	}
	for name, at := range p.deletes[set] {
		m, cachedNow := byName[name]
		if !cachedNow || !m.DeletionTimestamp.IsZero() || now.Sub(at) > pendingExpiry {
			delete(p.deletes[set], name)
			continue
		}
		v.deleting[name] = true
	}
	if len(p.creates[set]) == 0 {
		delete(p.creates, set)
	}
	if len(p.deletes[set]) == 0 {
		delete(p.deletes, set)
	}
	return v
}

// forgetSet drops everything pending for a MachineSet that is gone.
func (p *pendingChanges) forgetSet(set types.UID) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.creates, set)
	delete(p.deletes, set)
}

// machineEventBatch is how long a MachineSet waits after an event of one
// of its machines before it is reconciled, so the events of many machines
// make one reconcile: each reads every machine of the set.
const machineEventBatch = 500 * time.Millisecond

// ownedMachineEvents enqueues a machine's controlling MachineSet, as Owns
// does, on the events that change what the set counts (a machine appears,
// changes phase, starts being deleted, goes), batched over
// machineEventBatch; every event first tells pending what it shows.
func ownedMachineEvents(pending *pendingChanges) handler.EventHandler {
	enqueue := func(o client.Object, deleting, counts bool, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		ref := metav1.GetControllerOf(o)
		if ref == nil || ref.Kind != "MachineSet" || ref.APIVersion != v1alpha1.SchemeGroupVersion.String() {
			return
		}
		pending.observe(ref.UID, o.GetName(), deleting || !o.GetDeletionTimestamp().IsZero())
		if counts {
			q.AddAfter(reconcile.Request{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: ref.Name}}, machineEventBatch)
		}
	}
	return handler.Funcs{
		CreateFunc: func(_ context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.Object, false, true, q)
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.ObjectNew, false, countsChanged(e.ObjectOld, e.ObjectNew), q)
		},
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.Object, true, true, q)
		},
		GenericFunc: func(_ context.Context, e event.GenericEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(e.Object, false, true, q)
		},
	}
}

// countsChanged says whether an update changes what a MachineSet counts
// of the machine: its phase, its deletion, its controller.
func countsChanged(oldObj, newObj client.Object) bool {
	o, ok1 := oldObj.(*v1alpha1.Machine)
	n, ok2 := newObj.(*v1alpha1.Machine)
	if !ok1 || !ok2 {
		return true
	}
	oref, nref := metav1.GetControllerOf(o), metav1.GetControllerOf(n)
	return o.Status.CurrentStatus.Phase != n.Status.CurrentStatus.Phase ||
		!o.DeletionTimestamp.Equal(n.DeletionTimestamp) ||
		(oref == nil) != (nref == nil) || (oref != nil && oref.UID != nref.UID)
}
