package conformance

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/deploy"
	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

// Timeouts and periods of a controller deployed in the cluster. It runs on
// the wall clock, like MCM's child process, so the run shortens them with
// the controller's flags.
const (
	inClusterCreationTimeout   = 20 * time.Second
	inClusterHealthTimeout     = 10 * time.Second
	inClusterSafetySweepPeriod = 5 * time.Second
	inClusterMetricsPort       = 8080
	// inClusterStartedWithin bounds the wait for a deployed pod to run.
	inClusterStartedWithin = 2 * time.Minute
)

// deployOptions are the deploy.Options of this run, without the
// controller's settings (they hold the simulator's address).
func (h *harness) deployOptions() deploy.Options {
	return deploy.Options{
		Namespace:  h.namespace,
		Controller: deploy.Container{Image: h.cfg.InCluster.ControllerImage},
		Simulator: deploy.Simulator{Image: h.cfg.InCluster.SimulatorImage, Cloud: h.cfg.Provider.SimulatorCloud,
			Args: []string{"--pending-for=500ms"}, FirstPort: h.simulatorPort},
	}
}

// deploySimulator runs cloud-simulator in the cluster on a node's network
// and steers it through its control API, which the host reaches at the
// node's IP as the controller's pod does.
func (h *harness) deploySimulator(ctx context.Context) (_ providers.Simulator, err error) {
	// Another run's simulator, or make dev's, may hold the default ports.
	if h.simulatorPort, err = deploy.FreeSimulatorPort(ctx, h.admin); err != nil {
		return nil, err
	}
	objs, err := deploy.SimulatorObjects(h.deployOptions())
	if err != nil {
		return nil, err
	}
	if err := deploy.Apply(ctx, h.admin, objs); err != nil {
		return nil, err
	}
	pod, err := h.waitForPod(ctx, deploy.SimulatorName, func(p *corev1.Pod) bool { return deploy.PodReady(p) && p.Status.HostIP != "" })
	if err != nil {
		return nil, err
	}
	endpoint, err := deploy.SimulatorEndpoint(ctx, h.admin, h.namespace)
	if err != nil {
		return nil, err
	}
	remote, err := simkit.Dial(ctx, endpoint)
	if err != nil {
		return nil, fmt.Errorf("the simulator pod %s/%s is Ready, but this process cannot reach its control API: %w", pod.Namespace, pod.Name, err)
	}
	remote.OnError = func(err error) { panic(fmt.Errorf("the simulator in the cluster: %w", err)) }
	return remote, nil
}

// deployController runs the controller under test in the cluster: the
// reference controller bound to the shipped ClusterRole, or MCM's machine
// controller with the provider's driver.
func (h *harness) deployController(ctx context.Context) error {
	o := h.deployOptions()
	o.Controller.Env = h.env
	h.trace.inPod = true
	if h.cfg.Controller == ControllerMCM {
		// The rbac group judges the reference controller's role; MCM's own
		// roles are MCM's business.
		o.ClusterRoleName = "cluster-admin"
		o.Controller.Command = h.controllerCommand("/mcm-machine-controller", "--provider="+h.cfg.Provider.Name)
		o.Controller.Args = []string{"--namespace=" + h.namespace, "--leader-elect=false",
			"--machine-creation-timeout=" + mcmCreationTimeout.String(),
			"--machine-health-timeout=" + mcmHealthTimeout.String(),
			"--machine-safety-orphan-vms-period=" + mcmSafetySweepPeriod.String(), "--v=3"}
	} else {
		role, err := shippedClusterRole()
		if err != nil {
			return err
		}
		h.role = role
		o.ClusterRoleName, o.ClusterRole, o.MetricsPort = role.Name, role, inClusterMetricsPort
		o.Controller.Command = h.controllerCommand("/machine-controller")
		o.Controller.Args = []string{"--provider=" + h.cfg.Provider.Name, "--namespace=" + h.namespace,
			"--metrics-bind-address=:" + strconv.Itoa(inClusterMetricsPort),
			"--creation-timeout=" + inClusterCreationTimeout.String(),
			"--health-timeout=" + inClusterHealthTimeout.String(),
			"--safety-sweep-period=" + inClusterSafetySweepPeriod.String()}
	}
	objs, err := deploy.ControllerObjects(o)
	if err != nil {
		return err
	}
	if err := deploy.Apply(ctx, h.admin, objs); err != nil {
		return err
	}
	h.stop = append(h.stop, func() error {
		binding := &rbacv1.ClusterRoleBinding{}
		binding.Name = deploy.BindingName(h.namespace)
		return client.IgnoreNotFound(h.admin.Delete(context.Background(), binding))
	})
	pod, err := h.waitForPod(ctx, deploy.ControllerName, func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodRunning })
	if err != nil {
		return err
	}
	// A controller that dies at once (a bad flag, a missing driver) fails
	// the run here, not through every spec's timeout.
	time.Sleep(2 * time.Second)
	if err := h.admin.Get(ctx, client.ObjectKeyFromObject(pod), pod); err != nil {
		return err
	}
	if failed := deploy.PodFailure(pod); failed != "" {
		return fmt.Errorf("the controller pod %s/%s %s; its log:\n%s", pod.Namespace, pod.Name, failed, h.podLog(ctx, pod))
	}
	h.controllerPod = pod.Name
	return nil
}

// controllerCommand is Config.InCluster.ControllerCommand, or def.
func (h *harness) controllerCommand(def ...string) []string {
	if len(h.cfg.InCluster.ControllerCommand) > 0 {
		return h.cfg.InCluster.ControllerCommand
	}
	return def
}

// waitForPod waits until a pod of app (deploy.AppLabel) satisfies ready;
// a pod that fails or restarts ends the wait with its log.
func (h *harness) waitForPod(ctx context.Context, app string, ready func(*corev1.Pod) bool) (*corev1.Pod, error) {
	var found *corev1.Pod
	var failure error
	err := wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, inClusterStartedWithin, true, func(ctx context.Context) (bool, error) {
		pods := &corev1.PodList{}
		if err := h.admin.List(ctx, pods, client.InNamespace(h.namespace), client.MatchingLabels{deploy.AppLabel: app}); err != nil {
			return false, nil
		}
		for i := range pods.Items {
			p := &pods.Items[i]
			if failed := deploy.PodFailure(p); failed != "" {
				failure = fmt.Errorf("the %s pod %s/%s %s; its log:\n%s", app, p.Namespace, p.Name, failed, h.podLog(ctx, p))
				return false, failure
			}
			if ready(p) {
				found = p
				return true, nil
			}
			found = p
		}
		return false, nil
	})
	switch {
	case failure != nil:
		return nil, failure
	case err != nil && found == nil:
		return nil, fmt.Errorf("no %s pod appeared in namespace %s within %s (is the image %q on the nodes?): %w", app, h.namespace, inClusterStartedWithin, h.imageOf(app), err)
	case err != nil:
		return nil, fmt.Errorf("the %s pod %s/%s is not ready within %s (phase %s, image %q; conditions %s; containers %s)", app, found.Namespace, found.Name,
			inClusterStartedWithin, found.Status.Phase, h.imageOf(app), conditionsOf(found), containerStates(found))
	}
	return found, nil
}

func (h *harness) imageOf(app string) string {
	if app == deploy.SimulatorName {
		return h.cfg.InCluster.SimulatorImage
	}
	return h.cfg.InCluster.ControllerImage
}

func conditionsOf(p *corev1.Pod) string {
	var out []string
	for _, c := range p.Status.Conditions {
		out = append(out, fmt.Sprintf("%s=%s %s", c.Type, c.Status, c.Message))
	}
	return strings.Join(out, ", ")
}

func containerStates(p *corev1.Pod) string {
	var out []string
	for _, c := range p.Status.ContainerStatuses {
		state := "running"
		if c.State.Waiting != nil {
			state = "waiting: " + c.State.Waiting.Reason
		}
		out = append(out, c.Name+" "+state)
	}
	return strings.Join(out, ", ")
}

// podLog is the end of a pod's log (the previous container's, if it
// restarted), or why it cannot be read.
func (h *harness) podLog(ctx context.Context, p *corev1.Pod) string {
	kube, err := kubernetes.NewForConfig(h.config)
	if err != nil {
		return err.Error()
	}
	previous := len(p.Status.ContainerStatuses) > 0 && p.Status.ContainerStatuses[0].RestartCount > 0
	out, err := kube.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Previous: previous, TailLines: ptr.To[int64](40)}).DoRaw(ctx)
	if err != nil {
		return "(the log cannot be read: " + err.Error() + ")"
	}
	return h.redact(string(out))
}

// scanControllerLog hands the deployed controller's whole log (every
// container it ran, the previous one too) to the secret scanner.
func (h *harness) scanControllerLog(ctx context.Context) error {
	kube, err := kubernetes.NewForConfig(h.config)
	if err != nil {
		return err
	}
	pods := &corev1.PodList{}
	if err := h.admin.List(ctx, pods, client.InNamespace(h.namespace), client.MatchingLabels{deploy.AppLabel: deploy.ControllerName}); err != nil {
		return err
	}
	if len(pods.Items) == 0 {
		return fmt.Errorf("no %s pod in namespace %s to read the log of", deploy.ControllerName, h.namespace)
	}
	for _, p := range pods.Items {
		for _, previous := range []bool{false, true} {
			if previous && (len(p.Status.ContainerStatuses) == 0 || p.Status.ContainerStatuses[0].RestartCount == 0) {
				continue
			}
			out, err := kube.CoreV1().Pods(p.Namespace).GetLogs(p.Name, &corev1.PodLogOptions{Previous: previous}).DoRaw(ctx)
			if err != nil {
				return fmt.Errorf("reading the log of the controller pod %s/%s: %w", p.Namespace, p.Name, err)
			}
			h.secrets.scan("the controller pod's log", string(out))
		}
	}
	return nil
}
