package deploy

import (
	"errors"
	"fmt"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Options say what to deploy. Namespace, Controller.Image and
// ClusterRoleName are required.
type Options struct {
	// Namespace holds every namespaced object; it must exist. The
	// controller is usually told to watch it too.
	Namespace string
	// Controller is the machine controller's container.
	Controller Container
	// ClusterRoleName is the ClusterRole the controller's ServiceAccount is
	// bound to, through a ClusterRoleBinding named for the namespace.
	ClusterRoleName string
	// ClusterRole, when set, is installed too (its name must be
	// ClusterRoleName); nil binds a role that exists already.
	ClusterRole *rbacv1.ClusterRole
	// MetricsPort is the controller's metrics port, declared on its
	// container so the API server's pod proxy can reach it; 0 declares none.
	MetricsPort int32
	// Simulator, when Image is set, runs cloud-simulator for Cloud on the
	// node's network at the fixed ports below.
	Simulator Simulator
}

// Container is one container's image, command and settings.
type Container struct {
	Image   string
	Command []string
	Args    []string
	// Env goes into a Secret the container reads all of (envFrom): the
	// driver's settings, which may hold credentials.
	Env map[string]string
}

// Simulator is the cloud simulator's image and the cloud it serves.
type Simulator struct {
	Image string
	// Cloud is cloud-simulator's --cloud (a provider name it serves).
	Cloud string
	// Args are appended to the flags Objects sets.
	Args []string
	// FirstPort is the first of the simulatorPorts ports it takes on its
	// node, in this order: the control API, EC2, S3, STS, OpenStack. A
	// harness on the host and the controller in a pod both reach them at
	// the node's IP. Zero means DefaultSimulatorPort. Simulators sharing a
	// node need blocks of their own: see FreeSimulatorPort.
	FirstPort int32
}

// DefaultSimulatorPort is the first port of the first block; blocks are
// SimulatorPortStride apart.
const (
	DefaultSimulatorPort = 18079
	SimulatorPortStride  = 10
	simulatorPorts       = 5
)

// firstPort is FirstPort or its default.
func (s Simulator) firstPort() int32 {
	if s.FirstPort == 0 {
		return DefaultSimulatorPort
	}
	return s.FirstPort
}

// Names of the objects Objects makes (the binding adds the namespace).
const (
	ControllerName = "machine-controller"
	SimulatorName  = "cloud-simulator"
	// AppLabel carries ControllerName or SimulatorName on each pod.
	AppLabel = "app.kubernetes.io/name"
	// PartOfLabel marks every object Objects makes.
	PartOfLabel = "app.kubernetes.io/part-of"
	PartOf      = "machine-conformance"
)

// ErrInvalidOptions wraps every problem Validate finds.
var ErrInvalidOptions = errors.New("invalid deploy options")

// Validate names each field at fault.
func (o Options) Validate() error {
	return joinInvalid(append(o.simulatorErrors(), o.controllerErrors()...))
}

func joinInvalid(errs []error) error {
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidOptions, errors.Join(errs...))
	}
	return nil
}

// simulatorErrors are the problems of the fields SimulatorObjects reads.
func (o Options) simulatorErrors() []error {
	var errs []error
	for _, msg := range validation.IsDNS1123Label(o.Namespace) {
		errs = append(errs, fmt.Errorf("Options.Namespace %q: %s", o.Namespace, msg))
	}
	if o.Simulator.Image != "" && o.Simulator.Cloud == "" {
		errs = append(errs, errors.New("Options.Simulator.Cloud is empty: name the cloud cloud-simulator serves (--cloud)"))
	}
	if p := o.Simulator.FirstPort; p < 0 || p > 65535-simulatorPorts {
		errs = append(errs, fmt.Errorf("Options.Simulator.FirstPort %d leaves no room for %d ports", p, simulatorPorts))
	}
	return errs
}

// controllerErrors are the problems of the controller's own fields.
func (o Options) controllerErrors() []error {
	var errs []error
	if o.Controller.Image == "" {
		errs = append(errs, errors.New("Options.Controller.Image is empty"))
	}
	if o.ClusterRoleName == "" {
		errs = append(errs, errors.New("Options.ClusterRoleName is empty"))
	}
	if o.ClusterRole != nil && o.ClusterRole.Name != o.ClusterRoleName {
		errs = append(errs, fmt.Errorf("Options.ClusterRole is named %q, not Options.ClusterRoleName %q", o.ClusterRole.Name, o.ClusterRoleName))
	}
	if o.MetricsPort < 0 || o.MetricsPort > 65535 {
		errs = append(errs, fmt.Errorf("Options.MetricsPort %d is not a port", o.MetricsPort))
	}
	for k := range o.Controller.Env {
		if msgs := validation.IsEnvVarName(k); len(msgs) > 0 {
			errs = append(errs, fmt.Errorf("Options.Controller.Env key %q: %s", k, strings.Join(msgs, "; ")))
		}
	}
	return errs
}
