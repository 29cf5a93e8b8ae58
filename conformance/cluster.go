package conformance

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/machine-conformance/machine-conformance/internal/crds"
	"github.com/machine-conformance/machine-conformance/internal/testcluster"
)

// inCluster says whether the run is on Config.Kubeconfig's cluster, with
// the controller under test in a pod there.
func (h *harness) inCluster() bool { return h.cfg.Kubeconfig != "" }

// connect starts the embedded control plane, or reaches Config.Kubeconfig's
// cluster and installs the machine.sapcloud.io CRDs there, then creates the
// run's namespace.
func (h *harness) connect(ctx context.Context, scheme *runtime.Scheme) (err error) {
	if h.inCluster() {
		if h.config, err = clientcmd.BuildConfigFromFlags("", h.cfg.Kubeconfig); err != nil {
			return fmt.Errorf("Config.Kubeconfig %s: %w", h.cfg.Kubeconfig, err)
		}
		h.config.QPS, h.config.Burst = 200, 400
		dir, err := crds.Dir(ctx)
		if err != nil {
			return err
		}
		if _, err := envtest.InstallCRDs(h.config, envtest.CRDInstallOptions{Paths: []string{dir}, ErrorIfPathMissing: true}); err != nil {
			return fmt.Errorf("installing the machine.sapcloud.io CRDs from %s on the cluster of %s: %w", dir, h.cfg.Kubeconfig, err)
		}
	} else {
		if h.cluster, err = testcluster.Start(ctx, h.cfg.Cluster); err != nil {
			return err
		}
		h.stop = append(h.stop, h.cluster.Stop)
		h.config = h.cluster.Config
	}
	if h.admin, err = client.New(h.config, client.Options{Scheme: scheme}); err != nil {
		return err
	}
	return h.createNamespace(ctx)
}

func (h *harness) createNamespace(ctx context.Context) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "conformance-"}}
	if err := h.admin.Create(ctx, ns); err != nil {
		return fmt.Errorf("creating the run's namespace: %w", err)
	}
	h.namespace = ns.Name
	if h.inCluster() {
		// A cluster that outlives the run gets its namespace back: the
		// specs' own teardown has removed the machines by then.
		h.stop = append(h.stop, func() error { return h.deleteNamespace(ns) })
	}
	return nil
}

// namespaceGoneWithin bounds the wait for the run's namespace to go.
const namespaceGoneWithin = 2 * time.Minute

func (h *harness) deleteNamespace(ns *corev1.Namespace) error {
	ctx, cancel := context.WithTimeout(context.Background(), namespaceGoneWithin)
	defer cancel()
	if err := h.admin.Delete(ctx, ns); client.IgnoreNotFound(err) != nil {
		return fmt.Errorf("deleting the run's namespace %s: %w", ns.Name, err)
	}
	err := wait.PollUntilContextCancel(ctx, time.Second, true, func(ctx context.Context) (bool, error) {
		err := h.admin.Get(ctx, client.ObjectKeyFromObject(ns), &corev1.Namespace{})
		return apierrors.IsNotFound(err), nil
	})
	if errors.Is(err, context.DeadlineExceeded) {
		current := &corev1.Namespace{}
		_ = h.admin.Get(context.Background(), client.ObjectKeyFromObject(ns), current)
		return fmt.Errorf("the run's namespace %s is still there %s after its deletion; its conditions: %+v",
			ns.Name, namespaceGoneWithin, current.Status.Conditions)
	}
	return err
}
