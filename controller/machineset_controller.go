package controller

import (
	"context"
	"fmt"
	"maps"
	"sort"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
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
	client   client.Client
	reader   client.Reader // uncached: a lagging cache would make us create twice
	scheme   *runtime.Scheme
	recorder eventRecorder
}

func (r *machineSetReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	ms := &v1alpha1.MachineSet{}
	if err := r.client.Get(ctx, req.NamespacedName, ms); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !ms.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, nil
	}
	owned, err := r.ownedMachines(ctx, ms)
	if err != nil {
		return ctrl.Result{}, err
	}
	var counted, alive []*v1alpha1.Machine
	for _, m := range owned {
		switch {
		case !m.DeletionTimestamp.IsZero():
		case m.Status.CurrentStatus.Phase == v1alpha1.MachineFailed:
			r.recorder.Eventf(ms, m, corev1.EventTypeNormal, "ReplacingFailed", "Scale",
				"deleting Failed machine %s: %s", m.Name, m.Status.LastOperation.Description)
			if err := r.client.Delete(ctx, m); client.IgnoreNotFound(err) != nil {
				return ctrl.Result{}, err
			}
			counted = append(counted, m) // until its deletion shows, as MCM counts it until Terminating
		default:
			counted, alive = append(counted, m), append(alive, m)
		}
	}
	want := int(ms.Spec.Replicas)
	for i := len(counted); i < want; i++ {
		m, err := r.newMachine(ms)
		if err != nil {
			return ctrl.Result{}, err
		}
		if err := r.client.Create(ctx, m); err != nil {
			return ctrl.Result{}, fmt.Errorf("creating machine for MachineSet %s/%s: %w", ms.Namespace, ms.Name, err)
		}
		r.recorder.Eventf(ms, m, corev1.EventTypeNormal, "Created", "Scale", "created machine %s", m.Name)
	}
	if surplus := len(counted) - want; surplus > 0 && len(alive) > 0 {
		sort.SliceStable(alive, func(i, j int) bool { return deletePriority(alive[i]) > deletePriority(alive[j]) })
		surplus = min(surplus, len(alive))
		for _, m := range alive[:surplus] {
			if err := r.client.Delete(ctx, m); client.IgnoreNotFound(err) != nil {
				return ctrl.Result{}, err
			}
			r.recorder.Eventf(ms, m, corev1.EventTypeNormal, "Deleted", "Scale", "deleted surplus machine %s", m.Name)
		}
		alive = alive[surplus:]
	}
	return ctrl.Result{}, r.updateStatus(ctx, ms, alive)
}

func (r *machineSetReconciler) ownedMachines(ctx context.Context, ms *v1alpha1.MachineSet) ([]*v1alpha1.Machine, error) {
	sel := labels.Everything()
	if ms.Spec.Selector != nil {
		s, err := metav1.LabelSelectorAsSelector(ms.Spec.Selector)
		if err != nil {
			return nil, fmt.Errorf("MachineSet %s/%s spec.selector: %w", ms.Namespace, ms.Name, err)
		}
		sel = s
	}
	list := &v1alpha1.MachineList{}
	if err := r.reader.List(ctx, list, client.InNamespace(ms.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
		return nil, err
	}
	var owned []*v1alpha1.Machine
	for i := range list.Items {
		if ref := metav1.GetControllerOf(&list.Items[i]); ref != nil && ref.UID == ms.UID {
			owned = append(owned, &list.Items[i])
		}
	}
	return owned, nil
}

func (r *machineSetReconciler) newMachine(ms *v1alpha1.MachineSet) (*v1alpha1.Machine, error) {
	m := &v1alpha1.Machine{
		ObjectMeta: metav1.ObjectMeta{
			Namespace:    ms.Namespace,
			GenerateName: ms.Name + "-",
			Labels:       maps.Clone(ms.Spec.Template.Labels),
			Annotations:  maps.Clone(ms.Spec.Template.Annotations),
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
