package controller

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crcontroller "sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// Controller is the set of reconcilers Setup registered with a manager.
type Controller struct {
	// SafetySweep runs on the manager's schedule; call Sweep for an extra pass.
	SafetySweep *SafetySweep
	// Served lists the machine.sapcloud.io kinds the API server serves;
	// controllers for absent kinds were not started.
	Served []string
}

// Setup registers the reference machine controller with mgr. The manager's
// scheme must hold machine.sapcloud.io/v1alpha1 (see AddToScheme). If the
// API server does not serve the Machine and MachineClass CRDs, Setup logs
// that clearly and starts nothing; a missing MachineSet CRD only disables the
// MachineSet controller.
func Setup(ctx context.Context, mgr manager.Manager, opts Options) (*Controller, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if !mgr.GetScheme().Recognizes(v1alpha1.SchemeGroupVersion.WithKind("Machine")) {
		return nil, fmt.Errorf("controller: the manager's scheme lacks %s; call controller.AddToScheme", v1alpha1.SchemeGroupVersion)
	}
	logger := mgr.GetLogger().WithName(ControllerName)
	served, err := servedKinds(mgr.GetRESTMapper(), "Machine", "MachineClass", "MachineSet")
	if err != nil {
		return nil, err
	}
	c := &Controller{Served: served}
	if !slices.Contains(served, "Machine") || !slices.Contains(served, "MachineClass") {
		logger.Info("machine.sapcloud.io CRDs Machine and MachineClass are not served by this API server; " +
			"machine, class, secret and machineset controllers NOT started; install the CRDs and restart")
		return c, nil
	}
	if err := addIndexes(ctx, mgr.GetFieldIndexer()); err != nil {
		return nil, fmt.Errorf("controller: adding field indexes: %w", err)
	}
	rec, err := newEventRecorder(mgr)
	if err != nil {
		return nil, err
	}
	cl := mgr.GetClient()
	// Options.Namespace holds whatever the manager's cache watches.
	inScope := predicate.NewPredicateFuncs(func(o client.Object) bool {
		return opts.Namespace == "" || o.GetNamespace() == opts.Namespace
	})
	limiter := workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](opts.RetryInterval, 10*opts.PollInterval)

	c.SafetySweep = &SafetySweep{reader: mgr.GetAPIReader(), client: cl, recorder: rec, opts: opts, trigger: make(chan struct{}, 1)}
	wake := newWakeups(opts.Clock)
	mr := &machineReconciler{client: cl, reader: mgr.GetAPIReader(), recorder: rec, opts: opts, sweep: c.SafetySweep, wake: wake}
	if err := ctrl.NewControllerManagedBy(mgr).Named("machine").
		For(&v1alpha1.Machine{}, builder.WithPredicates(inScope, machineChanged{})).
		Watches(&corev1.Node{}, handler.EnqueueRequestsFromMapFunc(mapByIndex(cl, &v1alpha1.MachineList{}, indexMachineByNodeName, nodeName)),
			builder.WithPredicates(nodeChanged{})).
		Watches(&v1alpha1.MachineClass{}, handler.EnqueueRequestsFromMapFunc(mapClassToMachines(cl))).
		Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(mapSecretToMachines(cl))).
		WatchesRawSource(wake.source()).
		WithOptions(crcontroller.Options{RateLimiter: limiter, MaxConcurrentReconciles: opts.Workers}).
		Complete(inNamespace(opts.Namespace, mr)); err != nil {
		return nil, err
	}
	if err := ctrl.NewControllerManagedBy(mgr).Named("machineclass").
		For(&v1alpha1.MachineClass{}, builder.WithPredicates(inScope)).
		Watches(&v1alpha1.Machine{}, enqueueAfter(mapMachineToClass, machineEventBatch), builder.WithPredicates(inScope, classUseChanged{})).
		Complete(inNamespace(opts.Namespace, &classReconciler{client: cl, recorder: rec})); err != nil {
		return nil, err
	}
	if err := ctrl.NewControllerManagedBy(mgr).Named("secret").
		For(&corev1.Secret{}).
		Watches(&v1alpha1.MachineClass{}, handler.EnqueueRequestsFromMapFunc(mapClassToSecrets)).
		Complete(&secretReconciler{client: cl, recorder: rec}); err != nil {
		return nil, err
	}
	if slices.Contains(served, "MachineSet") {
		pending := newPendingChanges(time.Now) // real time: it bounds a lost watch event, not a contract wait
		if err := ctrl.NewControllerManagedBy(mgr).Named("machineset").
			For(&v1alpha1.MachineSet{}, builder.WithPredicates(inScope)).
			Watches(&v1alpha1.Machine{}, ownedMachineEvents(pending), builder.WithPredicates(inScope)).
			Complete(inNamespace(opts.Namespace, &machineSetReconciler{client: cl, scheme: mgr.GetScheme(), recorder: rec, pending: pending})); err != nil {
			return nil, err
		}
	} else {
		logger.Info("MachineSet CRD not served; MachineSet controller NOT started")
	}
	if err := mgr.Add(c.SafetySweep); err != nil {
		return nil, err
	}
	return c, nil
}

// servedKinds asks the API server (through the REST mapper) which
// machine.sapcloud.io/v1alpha1 kinds it serves.
func servedKinds(mapper meta.RESTMapper, kinds ...string) ([]string, error) {
	var served []string
	for _, k := range kinds {
		_, err := mapper.RESTMapping(schema.GroupKind{Group: v1alpha1.GroupName, Kind: k}, v1alpha1.SchemeGroupVersion.Version)
		switch {
		case err == nil:
			served = append(served, k)
		case meta.IsNoMatchError(err):
		default:
			return nil, fmt.Errorf("controller: asking the API server whether it serves %s.%s: %w", k, v1alpha1.GroupName, err)
		}
	}
	return served, nil
}

// inNamespace keeps r to requests in namespace (all when it is empty),
// whatever the manager's cache watches and the watches map to.
func inNamespace(namespace string, r reconcile.Reconciler) reconcile.Reconciler {
	if namespace == "" {
		return r
	}
	return reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
		if req.Namespace != namespace {
			return reconcile.Result{}, nil
		}
		return r.Reconcile(ctx, req)
	})
}
