package controller

import (
	"strings"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"
)

// MCM's retry periods (pkg/util/provider/machineutils) and defaults, which
// Options use unless told otherwise.
const (
	DefaultShortRetry             = 5 * time.Second
	DefaultMediumRetry            = 3 * time.Minute
	DefaultLongRetry              = 10 * time.Minute
	DefaultResourceExhaustedRetry = DefaultLongRetry
)

// DefaultNodeConditions are the node conditions that make a node unhealthy
// when True or Unknown (MCM's --node-conditions default).
var DefaultNodeConditions = []string{"KernelDeadlock", "ReadonlyFilesystem", "DiskPressure", "NetworkUnavailable"}

// CriticalComponentsNotReadyTaint on a node keeps its machine Pending, as
// in MCM: the node's essential pods are not up yet.
const CriticalComponentsNotReadyTaint = "node.gardener.cloud/critical-components-not-ready"

// createRetryPeriod is how long a machine whose create flow failed with
// code waits before the next attempt, as MCM decides it.
func (o Options) createRetryPeriod(code codes.Code) time.Duration {
	switch {
	case code == codes.ResourceExhausted:
		return o.ResourceExhaustedRetry
	case transient[code]:
		return o.ShortRetry
	}
	return o.MediumRetry
}

// retryPeriod is how long machine m waits after a create-flow call failed
// with code: ShortRetry when the failure was InitializeMachine's (m carries
// InitializationPendingAnnotation), as in MCM, else the code's period.
func (o Options) retryPeriod(m *v1alpha1.Machine, code codes.Code) time.Duration {
	if m.Annotations[InitializationPendingAnnotation] != "" {
		return o.ShortRetry
	}
	return o.createRetryPeriod(code)
}

// creationTimeout and healthTimeout honour a machine's own
// MachineConfiguration, as MCM's getEffective* do.
func (o Options) creationTimeout(m *v1alpha1.Machine) time.Duration {
	if c := m.Spec.MachineConfiguration; c != nil && c.MachineCreationTimeout != nil {
		return c.MachineCreationTimeout.Duration
	}
	return o.CreationTimeout
}

func (o Options) healthTimeout(m *v1alpha1.Machine) time.Duration {
	if c := m.Spec.MachineConfiguration; c != nil && c.MachineHealthTimeout != nil {
		return c.MachineHealthTimeout.Duration
	}
	return o.HealthTimeout
}

// healthTimeoutDisabled says the machine never fails on its health timeout.
func healthTimeoutDisabled(m *v1alpha1.Machine) bool {
	c := m.Spec.MachineConfiguration
	return c != nil && c.DisableHealthTimeout != nil && *c.DisableHealthTimeout
}

func (o Options) nodeConditions(m *v1alpha1.Machine) []string {
	if c := m.Spec.MachineConfiguration; c != nil && c.NodeConditions != nil {
		var out []string
		for _, s := range strings.Split(*c.NodeConditions, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return o.NodeConditions
}

// nodeHealth says whether node is healthy for machine m as MCM judges it
// (Ready True, none of the bad conditions True or Unknown) and, if not, why.
func (o Options) nodeHealth(m *v1alpha1.Machine, node *corev1.Node) (bool, string) {
	switch name := m.Labels[NodeLabel]; {
	case node == nil && name == "":
		return false, "the driver returned no node name, so no node can be found for this machine"
	case node == nil:
		return false, "no node named " + name + " (the NodeName the driver returned)"
	}
	ready := false
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady {
			if c.Status != corev1.ConditionTrue {
				return false, "node " + node.Name + " Ready condition is " + string(c.Status)
			}
			ready = true
		}
	}
	if !ready {
		return false, "node " + node.Name + " has no Ready condition"
	}
	for _, bad := range o.nodeConditions(m) {
		for _, c := range node.Status.Conditions {
			if string(c.Type) == bad && c.Status != corev1.ConditionFalse {
				return false, "node " + node.Name + " condition " + bad + " is " + string(c.Status)
			}
		}
	}
	return true, ""
}

// criticalComponentsPending says the node still carries the taint that
// marks its essential pods as not ready.
func criticalComponentsPending(node *corev1.Node) bool {
	for _, t := range node.Spec.Taints {
		if t.Key == CriticalComponentsNotReadyTaint {
			return true
		}
	}
	return false
}
