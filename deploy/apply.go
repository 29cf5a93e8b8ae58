package deploy

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// FieldManager owns the fields Apply sets.
const FieldManager = PartOf

// Apply creates objs, or brings them to what objs say, by server-side
// apply: running it again with a new image rolls the Deployment.
func Apply(ctx context.Context, c client.Client, objs []client.Object) error {
	for _, obj := range objs {
		obj = obj.DeepCopyObject().(client.Object)
		obj.SetManagedFields(nil)
		obj.SetResourceVersion("")
		//nolint:staticcheck // client.Apply with typed objects is what controller-runtime v0.22 offers
		if err := c.Patch(ctx, obj, client.Apply, client.ForceOwnership, client.FieldOwner(FieldManager)); err != nil {
			return fmt.Errorf("applying %s %s: %w", obj.GetObjectKind().GroupVersionKind().Kind, client.ObjectKeyFromObject(obj), err)
		}
	}
	return nil
}

// RolledOut waits until Deployment namespace/name runs its current spec
// on an available pod. A pod that fails (see PodFailure) ends the wait at
// once with what failed.
func RolledOut(ctx context.Context, c client.Client, namespace, name string, within time.Duration) error {
	var last string
	err := wait.PollUntilContextTimeout(ctx, 250*time.Millisecond, within, true, func(ctx context.Context) (bool, error) {
		d := &appsv1.Deployment{}
		if err := c.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, d); err != nil {
			last = err.Error()
			return false, nil
		}
		pods := &corev1.PodList{}
		if err := c.List(ctx, pods, client.InNamespace(namespace), client.MatchingLabels{AppLabel: name}); err != nil {
			last = err.Error()
			return false, nil
		}
		current := 0 // Ready pods of the current template's image
		for i := range pods.Items {
			p := &pods.Items[i]
			if !p.DeletionTimestamp.IsZero() {
				continue // an old pod on its way out stops as asked
			}
			if failed := PodFailure(p); failed != "" {
				return false, fmt.Errorf("pod %s/%s %s", namespace, p.Name, failed)
			}
			if PodReady(p) && sameImages(p.Spec.Containers, d.Spec.Template.Spec.Containers) {
				current++
			}
		}
		s := d.Status
		last = "observed generation " + strconv.FormatInt(s.ObservedGeneration, 10) + " of " + strconv.FormatInt(d.Generation, 10) +
			", " + strconv.Itoa(int(s.UpdatedReplicas)) + " updated, " + strconv.Itoa(int(s.AvailableReplicas)) + " available, " +
			strconv.Itoa(int(s.Replicas)) + " in all"
		return s.ObservedGeneration >= d.Generation && s.UpdatedReplicas == 1 && s.AvailableReplicas == 1 && s.Replicas == 1 && current == 1, nil
	})
	if err != nil && !wait.Interrupted(err) {
		return fmt.Errorf("deployment %s/%s: %w", namespace, name, err)
	}
	if err != nil {
		return fmt.Errorf("deployment %s/%s did not roll out within %s: %s", namespace, name, within, last)
	}
	return nil
}

func sameImages(running, want []corev1.Container) bool {
	if len(running) != len(want) {
		return false
	}
	for i := range want {
		if running[i].Image != want[i].Image {
			return false
		}
	}
	return true
}

// PodFailure says how a pod failed (it stopped, restarted, or cannot get
// its image or settings), or "" when it has not.
func PodFailure(p *corev1.Pod) string {
	if p.Status.Phase == corev1.PodFailed {
		return "failed: " + p.Status.Message
	}
	for _, c := range p.Status.ContainerStatuses {
		switch {
		case c.RestartCount > 0 && c.LastTerminationState.Terminated != nil:
			t := c.LastTerminationState.Terminated
			return fmt.Sprintf("restarted: container %s exited with code %d (%s)", c.Name, t.ExitCode, t.Reason)
		case c.State.Terminated != nil:
			return fmt.Sprintf("stopped: container %s exited with code %d (%s)", c.Name, c.State.Terminated.ExitCode, c.State.Terminated.Reason)
		case c.State.Waiting != nil && slices.Contains(startFailures, c.State.Waiting.Reason):
			return fmt.Sprintf("cannot start container %s: %s: %s", c.Name, c.State.Waiting.Reason, c.State.Waiting.Message)
		}
	}
	return ""
}

// startFailures are the kubelet's waiting reasons that do not pass alone.
var startFailures = []string{"ErrImageNeverPull", "ErrImagePull", "ImagePullBackOff", "InvalidImageName",
	"CreateContainerConfigError", "CreateContainerError"}

// SimulatorEndpoint is the control API of the simulator SimulatorObjects
// runs in namespace, once its pod is Ready: the node's IP at the pod's
// control port, which the host and pods both reach.
func SimulatorEndpoint(ctx context.Context, c client.Client, namespace string) (string, error) {
	pods := &corev1.PodList{}
	if err := c.List(ctx, pods, client.InNamespace(namespace), client.MatchingLabels{AppLabel: SimulatorName}); err != nil {
		return "", err
	}
	for _, p := range pods.Items {
		port, ok := controlPort(&p)
		if ok && PodReady(&p) && p.Status.HostIP != "" && p.DeletionTimestamp.IsZero() {
			return "http://" + net.JoinHostPort(p.Status.HostIP, strconv.Itoa(int(port))), nil
		}
	}
	return "", fmt.Errorf("no Ready %s pod in namespace %s", SimulatorName, namespace)
}

func controlPort(p *corev1.Pod) (int32, bool) {
	for _, c := range p.Spec.Containers {
		for _, port := range c.Ports {
			if port.Name == "control" {
				return port.ContainerPort, true
			}
		}
	}
	return 0, false
}

// FreeSimulatorPort is the first block of simulator ports no simulator in
// the cluster holds (in any namespace), for Simulator.FirstPort. Two runs
// choosing at once may still collide: the scheduler then leaves the later
// pod Pending, saying the node has no free ports.
func FreeSimulatorPort(ctx context.Context, c client.Client) (int32, error) {
	pods := &corev1.PodList{}
	if err := c.List(ctx, pods, client.MatchingLabels{AppLabel: SimulatorName}); err != nil {
		return 0, fmt.Errorf("listing the simulators in the cluster: %w", err)
	}
	taken := map[int32]bool{}
	for _, p := range pods.Items {
		if port, ok := controlPort(&p); ok {
			taken[port] = true
		}
	}
	for port := int32(DefaultSimulatorPort); port <= 65535-simulatorPorts; port += SimulatorPortStride {
		if !taken[port] {
			return port, nil
		}
	}
	return 0, fmt.Errorf("every block of simulator ports from %d is taken", DefaultSimulatorPort)
}

// PodReady says whether a pod's Ready condition is true.
func PodReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
