package controller

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// classReconciler keeps MachineFinalizer on a MachineClass exactly while a
// Machine references it, so a referenced class cannot go away.
type classReconciler struct {
	client   client.Client
	recorder eventRecorder
}

func (r *classReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	cls := &v1alpha1.MachineClass{}
	if err := r.client.Get(ctx, req.NamespacedName, cls); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	opts := []client.ListOption{client.InNamespace(cls.Namespace),
		client.MatchingFields{indexMachineByClass: cls.Name}, client.UnsafeDisableDeepCopy} // read only
	if cls.DeletionTimestamp.IsZero() {
		opts = append(opts, client.Limit(1)) // whether any machine uses it; who, only to say what blocks a deletion
	}
	machines := &v1alpha1.MachineList{}
	if err := r.client.List(ctx, machines, opts...); err != nil {
		return ctrl.Result{}, err
	}
	users := make([]string, 0, len(machines.Items))
	for _, m := range machines.Items {
		users = append(users, "Machine "+m.Name)
	}
	return ctrl.Result{}, syncFinalizer(ctx, r.client, r.recorder, cls, MachineFinalizer, users)
}

// secretReconciler keeps SecretFinalizer on a Secret exactly while a
// MachineClass references it through secretRef or credentialsSecretRef.
type secretReconciler struct {
	client   client.Client
	recorder eventRecorder
}

func (r *secretReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	sec := &corev1.Secret{}
	if err := r.client.Get(ctx, req.NamespacedName, sec); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	classes := &v1alpha1.MachineClassList{}
	if err := r.client.List(ctx, classes, client.MatchingFields{indexClassBySecret: req.Namespace + "/" + req.Name}); err != nil {
		return ctrl.Result{}, err
	}
	users := make([]string, 0, len(classes.Items))
	for _, c := range classes.Items {
		users = append(users, "MachineClass "+c.Namespace+"/"+c.Name)
	}
	return ctrl.Result{}, syncFinalizer(ctx, r.client, r.recorder, sec, SecretFinalizer, users)
}

// syncFinalizer adds finalizer to obj while users is not empty and removes it
// once it is. A deletion blocked by users is reported as an event naming them.
func syncFinalizer(ctx context.Context, c client.Client, rec eventRecorder, obj client.Object, finalizer string, users []string) error {
	changed := false
	if len(users) > 0 {
		changed = controllerutil.AddFinalizer(obj, finalizer)
		if !obj.GetDeletionTimestamp().IsZero() {
			sort.Strings(users)
			rec.Eventf(obj, nil, corev1.EventTypeWarning, "DeletionBlocked", "Finalize",
				"still referenced by %d object(s): %s", len(users), summarize(users, 5))
		}
	} else {
		changed = controllerutil.RemoveFinalizer(obj, finalizer)
	}
	if !changed {
		return nil
	}
	if err := c.Update(ctx, obj); err != nil {
		return fmt.Errorf("updating finalizer %s on %s: %w", finalizer, client.ObjectKeyFromObject(obj), err)
	}
	return nil
}

func summarize(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(" and %d more", len(items)-max)
}
