package controller

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"sync"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilrand "k8s.io/apimachinery/pkg/util/rand"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// machineSetReconciler keeps spec.replicas machines, as MCM's MachineSet
// controller does: every machine not being deleted counts, whatever its
// phase; a Failed machine is deleted (its VM goes through DeleteMachine)
// and replaced only once its deletion has begun; a machine in
// CrashLoopBackOff keeps its slot and is never replaced, so a persistent
// create error (a quota) retries at the controller's periods instead of
// churning VMs. Deleting a MachineSet deletes its machines through owner
// references and the garbage collector.
type machineSetReconciler struct {
	client   client.Client // cached reads: pending covers what the cache does not show yet
	scheme   *runtime.Scheme
	recorder eventRecorder
	pending  *pendingChanges
}

// machineSetCreateWorkers bounds the machine creates one reconcile sends at once.
const machineSetCreateWorkers = 16

// machineSetBurst bounds the machines one reconcile creates, as the
// ReplicaSet controller's burstReplicas does: a set scaled up by thousands
// reports its status and lets other sets in between batches.
const machineSetBurst = 500

func (r *machineSetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	ms := &v1alpha1.MachineSet{}
	if err := r.client.Get(ctx, req.NamespacedName, ms); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !ms.DeletionTimestamp.IsZero() {
		r.pending.forgetSet(ms.UID)
		return ctrl.Result{}, nil
	}
	owned, err := r.ownedMachines(ctx, ms)
	if err != nil {
		return ctrl.Result{}, err
	}
	shown := r.pending.settle(ms.UID, owned)
	counted, alive := shown.creating, []*v1alpha1.Machine{}
	for i := range owned {
		m := &owned[i] // shared with the cache: read only
		switch {
		case !m.DeletionTimestamp.IsZero():
		case m.Status.CurrentStatus.Phase == v1alpha1.MachineFailed:
			if !shown.deleting[m.Name] {
				r.recorder.Eventf(ms, m, corev1.EventTypeNormal, "ReplacingFailed", "Scale",
					"deleting Failed machine %s: %s", m.Name, m.Status.LastOperation.Description)
				if err := r.deleteMachine(ctx, ms, m); err != nil {
					return ctrl.Result{}, err
				}
			}
			counted++ // until its deletion shows, as MCM counts it until Terminating
		case shown.deleting[m.Name]: // a surplus machine whose deletion does not show yet
		default:
			counted++
			alive = append(alive, m)
		}
	}
	want := int(ms.Spec.Replicas)
	var res ctrl.Result
	if missing := want - counted; missing > 0 {
		if missing > machineSetBurst {
			missing, res = machineSetBurst, ctrl.Result{RequeueAfter: time.Millisecond} // not Requeue: its backoff grows per batch
		}
		if err := r.createMachines(ctx, ms, missing); err != nil {
			return ctrl.Result{}, err
		}
	}
	if surplus := counted - want; surplus > 0 && len(alive) > 0 {
		sort.SliceStable(alive, func(i, j int) bool { return deletePriority(alive[i]) > deletePriority(alive[j]) })
		surplus = min(surplus, len(alive))
		var deleted []string
		for _, m := range alive[:surplus] {
			if err := r.deleteMachine(ctx, ms, m); err != nil {
				r.recordScale(ms, "Deleted", "deleted surplus", deleted)
				return ctrl.Result{}, err
			}
			deleted = append(deleted, m.Name)
		}
		r.recordScale(ms, "Deleted", "deleted surplus", deleted)
		alive = alive[surplus:]
	}
	return res, r.updateStatus(ctx, ms, alive)
}

// ownedMachines lists, from the cache and without copies, the machines
// ms controls.
func (r *machineSetReconciler) ownedMachines(ctx context.Context, ms *v1alpha1.MachineSet) ([]v1alpha1.Machine, error) {
	list := &v1alpha1.MachineList{}
	if err := r.client.List(ctx, list, client.InNamespace(ms.Namespace),
		client.MatchingFields{indexMachineByController: string(ms.UID)}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// createMachines creates n machines for ms, a few at a time. Each name is
// pending before its create is sent.
func (r *machineSetReconciler) createMachines(ctx context.Context, ms *v1alpha1.MachineSet, n int) error {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		errs    []error
		created []string
		sem     = make(chan struct{}, machineSetCreateWorkers)
	)
	defer func() { r.recordScale(ms, "Created", "created", created) }()
	for range n {
		m, err := r.newMachine(ms)
		if err != nil {
			return err
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			err := r.createMachine(ctx, ms, m)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			created = append(created, m.Name)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// createMachine sends one create under a name of ours, so that the name is
// pending before the create is; a name already taken is drawn again.
func (r *machineSetReconciler) createMachine(ctx context.Context, ms *v1alpha1.MachineSet, m *v1alpha1.Machine) error {
	for attempt := 0; ; attempt++ {
		m.Name = ms.Name + "-" + utilrand.String(machineNameSuffixLength)
		r.pending.expectCreate(ms.UID, m.Name)
		err := r.client.Create(ctx, m)
		if err == nil {
			return nil
		}
		if !outcomeUnknown(err) {
			r.pending.forgetCreate(ms.UID, m.Name) // refused: nothing was made
		}
		if !apierrors.IsAlreadyExists(err) || attempt == 4 {
			return fmt.Errorf("creating machine %s for MachineSet %s/%s: %w", m.Name, ms.Namespace, ms.Name, err)
		}
	}
}

// deleteMachine deletes m (read only, the cache's copy) unless its
// deletion is already pending.
func (r *machineSetReconciler) deleteMachine(ctx context.Context, ms *v1alpha1.MachineSet, m *v1alpha1.Machine) error {
	r.pending.expectDelete(ms.UID, m.Name)
	victim := &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: m.Namespace, Name: m.Name}}
	if err := r.client.Delete(ctx, victim, client.Preconditions{UID: &m.UID}); err != nil {
		if !outcomeUnknown(err) {
			r.pending.forgetDelete(ms.UID, m.Name)
		}
		if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
			return nil // gone, or a different machine by that name now: the next event tells
		}
		return fmt.Errorf("deleting machine %s of MachineSet %s/%s: %w", m.Name, ms.Namespace, ms.Name, err)
	}
	return nil
}

// recordScale records one event for the machines one reconcile created
// or deleted, naming a few: at scale, an event per machine would cost the
// API server a write per machine for what one line says.
func (r *machineSetReconciler) recordScale(ms *v1alpha1.MachineSet, reason, verb string, names []string) {
	if len(names) == 0 {
		return
	}
	sort.Strings(names)
	noun := "machines"
	if len(names) == 1 {
		noun = "machine"
	}
	r.recorder.Eventf(ms, nil, corev1.EventTypeNormal, reason, "Scale", "%s %d %s: %s", verb, len(names), noun, summarize(names, 5))
}

// outcomeUnknown says whether a write that failed may still have been
// carried out: the API server timed out or failed inside, or the answer
// never came. Such a write stays pending until the cache shows it or
// pendingExpiry passes; forgetting it would count a machine that exists as
// missing, and create one too many.
func outcomeUnknown(err error) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return true // no answer from the server: a connection cut, a deadline
	}
	return apierrors.IsTimeout(err) || apierrors.IsServerTimeout(err) || apierrors.IsInternalError(err) ||
		apierrors.IsUnexpectedServerError(err)
}

// machineNameSuffixLength is what the API server appends to a generateName.
const machineNameSuffixLength = 5

func (r *machineSetReconciler) newMachine(ms *v1alpha1.MachineSet) (*v1alpha1.Machine, error) {
	m := &v1alpha1.Machine{
		ObjectMeta: metav1.ObjectMeta{
			Namespace:   ms.Namespace,
			Labels:      maps.Clone(ms.Spec.Template.Labels),
			Annotations: maps.Clone(ms.Spec.Template.Annotations),
			// Born with the machine controller's finalizer, which would
			// add it first thing: one write less per machine.
			Finalizers: []string{MachineFinalizer},
		},
		Spec: *ms.Spec.Template.Spec.DeepCopy(),
	}
	if m.Spec.Class.Name == "" {
		m.Spec.Class = ms.Spec.MachineClass
	}
	if err := controllerutil.SetControllerReference(ms, m, r.scheme); err != nil {
		return nil, err
	}
	return m, nil
}

// deletePriority ranks surplus machines in MCM's order: the least useful
// go first ("" < CrashLoopBackOff < Unknown < Pending < Available < Running).
func deletePriority(m *v1alpha1.Machine) int {
	switch m.Status.CurrentStatus.Phase {
	case v1alpha1.MachineRunning:
		return 0
	case v1alpha1.MachineAvailable:
		return 1
	case v1alpha1.MachinePending:
		return 2
	case v1alpha1.MachineUnknown:
		return 3
	case v1alpha1.MachineCrashLoopBackOff:
		return 4
	default:
		return 5
	}
}

func (r *machineSetReconciler) updateStatus(ctx context.Context, ms *v1alpha1.MachineSet, alive []*v1alpha1.Machine) error {
	running := int32(0)
	for _, m := range alive {
		if m.Status.CurrentStatus.Phase == v1alpha1.MachineRunning {
			running++
		}
	}
	orig := ms.DeepCopy()
	ms.Status.Replicas = int32(len(alive))
	ms.Status.ReadyReplicas = running
	ms.Status.AvailableReplicas = running
	ms.Status.FullyLabeledReplicas = int32(len(alive))
	ms.Status.ObservedGeneration = ms.Generation
	if equalSetStatus(orig.Status, ms.Status) {
		return nil
	}
	return r.client.Status().Patch(ctx, ms, client.MergeFrom(orig))
}

func equalSetStatus(a, b v1alpha1.MachineSetStatus) bool {
	return a.Replicas == b.Replicas && a.ReadyReplicas == b.ReadyReplicas && a.AvailableReplicas == b.AvailableReplicas &&
		a.FullyLabeledReplicas == b.FullyLabeledReplicas && a.ObservedGeneration == b.ObservedGeneration
}
