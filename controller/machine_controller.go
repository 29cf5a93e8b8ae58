package controller

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// eventRecorder is the part of k8s.io/client-go/tools/events.EventRecorder we use.
type eventRecorder interface {
	Eventf(regarding, related runtime.Object, eventtype, reason, action, note string, args ...any)
}

// machineReconciler drives one Machine through its lifecycle:
// create (machine_controller_create.go), node join and health
// (machine_controller_node.go) and delete (machine_controller_delete.go).
type machineReconciler struct {
	client   client.Client
	reader   client.Reader // uncached, for decisions that call the driver to create
	recorder eventRecorder
	opts     Options
	sweep    *SafetySweep // triggered on OutOfRange and machine deletion, as in MCM; nil in unit tests
	wake     *wakeups     // ends waits on Options.Clock; nil in unit tests (they poll)
	// deleteBlocked remembers, by machine UID, the inputs' version when
	// DeleteMachine last failed with a code a human must fix: the delete is
	// tried again after LongRetry, or at once when class or secret change,
	// whatever else requeues the machine (see reconcileDelete).
	deleteBlocked sync.Map
	// released remembers, by machine UID, when this controller released the
	// machine's finalizer (see releasedRecently).
	released sync.Map
}

// Reconcile implements reconcile.Reconciler.
func (r *machineReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	m := &v1alpha1.Machine{}
	if err := r.client.Get(ctx, req.NamespacedName, m); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	if !m.DeletionTimestamp.IsZero() {
		return r.reconcileDelete(ctx, m)
	}
	if controllerutil.AddFinalizer(m, MachineFinalizer) {
		if err := r.client.Update(ctx, m); err != nil {
			return ctrl.Result{}, err
		}
	}
	if m.Status.CurrentStatus.Phase == v1alpha1.MachineFailed {
		return ctrl.Result{}, nil // terminal: a MachineSet replaces it, or a human deletes it
	}
	in, err := r.loadInputs(ctx, m)
	if err != nil {
		return r.waitForInputs(ctx, m, err)
	}
	if m.Spec.ProviderID == "" {
		// Creating costs money and cannot be undone by a conflict: decide on
		// the server's copy, not on a cache that may lag our own writes.
		if err := r.reader.Get(ctx, req.NamespacedName, m); err != nil {
			return ctrl.Result{}, client.IgnoreNotFound(err)
		}
		if m.Spec.ProviderID == "" && m.DeletionTimestamp.IsZero() && m.Status.CurrentStatus.Phase != v1alpha1.MachineFailed {
			return r.reconcileCreate(ctx, m, in)
		}
		return ctrl.Result{RequeueAfter: r.opts.RetryInterval}, nil // the cache is behind; look again
	}
	return r.reconcileNode(ctx, m, in)
}

// driverInputs are the class and merged secret every driver call needs.
type driverInputs struct {
	class  *v1alpha1.MachineClass
	secret *corev1.Secret
	// version changes whenever the content of the class or of one of its
	// secrets does, so a retry can tell whether a human fixed them.
	version string
}

// errInputMissing marks a class or secret that does not exist (yet).
var errInputMissing = errors.New("missing")

// loadInputs fetches the machine's class and the data of the class's
// secretRef and credentialsSecretRef, merged as MCM merges them
// (credentials win on conflicting keys).
func (r *machineReconciler) loadInputs(ctx context.Context, m *v1alpha1.Machine) (driverInputs, error) {
	return loadDriverInputs(ctx, r.client, m.Namespace, m.Spec.Class.Name)
}

func loadDriverInputs(ctx context.Context, c client.Reader, namespace, className string) (driverInputs, error) {
	if className == "" {
		return driverInputs{}, fmt.Errorf("spec.class.name is empty: %w", errInputMissing)
	}
	cls := &v1alpha1.MachineClass{}
	if err := c.Get(ctx, types.NamespacedName{Namespace: namespace, Name: className}, cls); err != nil {
		if apierrors.IsNotFound(err) {
			return driverInputs{}, fmt.Errorf("MachineClass %s/%s not found: %w", namespace, className, errInputMissing)
		}
		return driverInputs{}, err
	}
	return secretForClass(ctx, c, cls)
}

func secretForClass(ctx context.Context, c client.Reader, cls *v1alpha1.MachineClass) (driverInputs, error) {
	merged := &corev1.Secret{Data: map[string][]byte{}}
	// The class's generation moves with its content, not with finalizers
	// or labels (which this controller changes itself); a secret has none,
	// so its data's digest stands in.
	version := strconv.FormatInt(cls.Generation, 10)
	if cls.SecretRef == nil && cls.CredentialsSecretRef == nil {
		return driverInputs{}, fmt.Errorf("MachineClass %s/%s has neither secretRef nor credentialsSecretRef: %w",
			cls.Namespace, cls.Name, errInputMissing)
	}
	for _, key := range secretRefs(cls) {
		s := &corev1.Secret{}
		if err := c.Get(ctx, key, s); err != nil {
			if apierrors.IsNotFound(err) {
				return driverInputs{}, fmt.Errorf("secret %s referenced by MachineClass %s/%s not found: %w",
					key, cls.Namespace, cls.Name, errInputMissing)
			}
			return driverInputs{}, err
		}
		if merged.Name == "" {
			merged.ObjectMeta = *s.ObjectMeta.DeepCopy()
		}
		version += "/" + dataDigest(s.Data)
		for k, v := range s.Data {
			merged.Data[k] = v
		}
	}
	return driverInputs{class: cls, secret: merged, version: version}, nil
}

// waitForInputs records why the machine cannot proceed and polls; the class
// and secret watches also requeue it as soon as they appear. The phase is
// left alone: MCM leaves a machine whose class or secret is missing without
// a phase (so the sweep counts it in flight, and no creation timeout runs).
func (r *machineReconciler) waitForInputs(ctx context.Context, m *v1alpha1.Machine, err error) (ctrl.Result, error) {
	if !errors.Is(err, errInputMissing) {
		return ctrl.Result{}, err
	}
	msg := "waiting: " + err.Error()
	if m.Status.LastOperation.Description != msg {
		r.recorder.Eventf(m, nil, corev1.EventTypeWarning, "InputMissing", "Reconcile", "%s", msg)
		if perr := r.patchStatus(ctx, m, func(m *v1alpha1.Machine) {
			setLastOperation(m, lastOp{typ: v1alpha1.MachineOperationCreate, state: v1alpha1.MachineStateProcessing, desc: msg}, r.opts.Clock.Now())
		}); perr != nil {
			return ctrl.Result{}, perr
		}
	}
	return ctrl.Result{RequeueAfter: r.opts.PollInterval}, nil
}

// callContext bounds one driver call.
func (r *machineReconciler) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.opts.DriverCallTimeout)
}

// dataDigest is a digest of a secret's data, the same for the same keys and values.
func dataDigest(data map[string][]byte) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(data)) {
		fmt.Fprintf(h, "%d:%s%d:", len(k), k, len(data[k]))
		h.Write(data[k])
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
