package controller

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// machineChanged lets through Machine updates the reconciler must react to
// and drops the status-only updates it writes itself, which would otherwise
// bypass the retry backoff and the waits the contract prescribes.
type machineChanged struct{ predicate.Funcs }

func (machineChanged) Update(e event.UpdateEvent) bool {
	o, ok1 := e.ObjectOld.(*v1alpha1.Machine)
	n, ok2 := e.ObjectNew.(*v1alpha1.Machine)
	if !ok1 || !ok2 {
		return true
	}
	return o.Generation != n.Generation ||
		!o.DeletionTimestamp.Equal(n.DeletionTimestamp) ||
		!maps.Equal(o.Labels, n.Labels) ||
		!maps.Equal(o.Annotations, n.Annotations) ||
		len(o.Finalizers) != len(n.Finalizers)
}

// nodeChanged lets through the Node updates a machine's health or
// deletion depends on: condition statuses, taints, deletion, our finalizer
// stripped, and provider ID. A kubelet's heartbeat (a condition's
// timestamps) is not one, nor our own finalizer being added.
// Creates, deletes and generic events pass (predicate.Funcs' defaults).
type nodeChanged struct{ predicate.Funcs }

func (nodeChanged) Update(e event.UpdateEvent) bool {
	o, ok1 := e.ObjectOld.(*corev1.Node)
	n, ok2 := e.ObjectNew.(*corev1.Node)
	if !ok1 || !ok2 {
		return true
	}
	return !o.DeletionTimestamp.Equal(n.DeletionTimestamp) ||
		(slices.Contains(o.Finalizers, NodeFinalizer) && !slices.Contains(n.Finalizers, NodeFinalizer)) || // stripped, not our own add
		o.Spec.ProviderID != n.Spec.ProviderID ||
		!slices.EqualFunc(o.Spec.Taints, n.Spec.Taints, func(a, b corev1.Taint) bool { return a.MatchTaint(&b) && a.Value == b.Value }) ||
		!slices.EqualFunc(o.Status.Conditions, n.Status.Conditions, func(a, b corev1.NodeCondition) bool {
			return a.Type == b.Type && a.Status == b.Status
		})
}

// classUseChanged lets through the Machine events that can change whether
// a class is in use: a machine appears, goes, or names another class.
type classUseChanged struct{ predicate.Funcs }

func (classUseChanged) Update(e event.UpdateEvent) bool {
	o, ok1 := e.ObjectOld.(*v1alpha1.Machine)
	n, ok2 := e.ObjectNew.(*v1alpha1.Machine)
	return !ok1 || !ok2 || o.Spec.Class.Name != n.Spec.Class.Name
}

// mapByIndex maps an object to the machines whose indexed field equals the
// value extract reads from it (a node to the machines labelled with its name).
func mapByIndex(c client.Reader, list *v1alpha1.MachineList, index string, extract client.IndexerFunc) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		var reqs []reconcile.Request
		for _, v := range extract(o) {
			machines := list.DeepCopy()
			if err := c.List(ctx, machines, client.MatchingFields{index: v}); err != nil {
				continue
			}
			reqs = append(reqs, machineRequests(machines.Items)...)
		}
		return reqs
	}
}

func mapClassToMachines(c client.Reader) handler.MapFunc {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		machines := &v1alpha1.MachineList{}
		if err := c.List(ctx, machines, client.InNamespace(o.GetNamespace()),
			client.MatchingFields{indexMachineByClass: o.GetName()}); err != nil {
			return nil
		}
		return machineRequests(machines.Items)
	}
}

func mapSecretToMachines(c client.Reader) handler.MapFunc {
	toMachines := mapClassToMachines(c)
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		classes := &v1alpha1.MachineClassList{}
		if err := c.List(ctx, classes, client.MatchingFields{indexClassBySecret: o.GetNamespace() + "/" + o.GetName()}); err != nil {
			return nil
		}
		var reqs []reconcile.Request
		for i := range classes.Items {
			reqs = append(reqs, toMachines(ctx, &classes.Items[i])...)
		}
		return reqs
	}
}

// enqueueAfter is EnqueueRequestsFromMapFunc whose requests wait delay in
// the queue, so a burst of events (thousands of machines of one class
// created at once) makes one reconcile, not one per event.
func enqueueAfter(mapFn handler.MapFunc, delay time.Duration) handler.EventHandler {
	add := func(ctx context.Context, o client.Object, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
		for _, req := range mapFn(ctx, o) {
			q.AddAfter(req, delay)
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, e.Object, q)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, e.ObjectOld, q)
			add(ctx, e.ObjectNew, q)
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, e.Object, q)
		},
		GenericFunc: func(ctx context.Context, e event.GenericEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			add(ctx, e.Object, q)
		},
	}
}

func mapMachineToClass(_ context.Context, o client.Object) []reconcile.Request {
	m := o.(*v1alpha1.Machine)
	if m.Spec.Class.Name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: m.Namespace, Name: m.Spec.Class.Name}}}
}

func mapClassToSecrets(_ context.Context, o client.Object) []reconcile.Request {
	var reqs []reconcile.Request
	for _, key := range secretRefs(o.(*v1alpha1.MachineClass)) {
		reqs = append(reqs, reconcile.Request{NamespacedName: key})
	}
	return reqs
}

func machineRequests(items []v1alpha1.Machine) []reconcile.Request {
	reqs := make([]reconcile.Request, 0, len(items))
	for i := range items {
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&items[i])})
	}
	return reqs
}
