package conformance

import (
	"errors"
	"fmt"
	"time"

	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/providers"
)

// Config says what to verify and where.
type Config struct {
	// Provider is the provider under test. Required: Name, NewDriver,
	// SampleProviderSpec and SampleSecret must be set.
	Provider providers.Provider
	// Env is passed to Provider.NewDriver, after the simulator's settings
	// (if the provider has a simulator), so entries here win.
	Env map[string]string
	// Cluster configures the embedded control plane.
	Cluster testcluster.Options
	// ReportDir receives junit.xml, report.json and summary.md when the
	// suite ends; empty writes none.
	ReportDir string
	// Timeout bounds each wait for the controller or the API server, in real
	// time. Zero means 60 s.
	Timeout time.Duration
	// Controller is the machine controller under test: ControllerReference
	// (empty means it) runs ours in-process on a fake clock; ControllerMCM
	// runs MCM's own machine controller, ControllerCommand, as a child
	// process on the wall clock with short timeouts (see controller_mcm.go).
	Controller string
	// ControllerCommand starts MCM's machine controller with the provider's
	// driver inside: a provider's own machine-controller binary, or
	// bin/mcm-machine-controller --provider=NAME. The suite appends MCM's
	// standard flags (kubeconfigs, namespace, timeouts) and passes the
	// driver's settings (Env, the simulator's) as environment variables.
	ControllerCommand []string
	// Kubeconfig runs the suite on that kubeconfig's cluster (kind, or any
	// cluster) instead of the embedded control plane. The controller under
	// test then runs there as production runs it, a Deployment under a
	// ServiceAccount (InCluster says with which images), and so does the
	// provider's simulator, if it has one. See in_cluster.go.
	Kubeconfig string
	// InCluster holds the images of a run on Kubeconfig's cluster.
	InCluster InCluster
	// ScaleMachines is the size of the MachineSet the scale group takes to
	// Running and back to none. Zero leaves the scale group out of the run.
	ScaleMachines int
}

// InCluster are the images a run on Config.Kubeconfig's cluster deploys;
// the cluster's nodes must have them (kind: `kind load`), or be able to pull
// them.
type InCluster struct {
	// ControllerImage holds /machine-controller (the reference controller,
	// cmd/machine-controller) and, for Controller "mcm",
	// /mcm-machine-controller.
	ControllerImage string
	// ControllerCommand is the command (and leading arguments) that starts
	// the controller in ControllerImage; the suite appends the flags of
	// Controller's kind (MCM's standard flags for "mcm"). Empty means
	// /machine-controller, or /mcm-machine-controller --provider=NAME for
	// "mcm"; a provider's own MCM image names its binary here.
	ControllerCommand []string
	// SimulatorImage holds /cloud-simulator (cmd/cloud-simulator). Required
	// when the provider has a simulator.
	SimulatorImage string
}

// The controllers a run can put under test.
const (
	ControllerReference = "reference"
	ControllerMCM       = "mcm"
)

// ErrInvalidConfig wraps every problem Validate finds.
var ErrInvalidConfig = errors.New("invalid conformance config")

// Validate checks the config up front, naming the field at fault.
func (c *Config) Validate() error {
	var errs []error
	p := c.Provider
	if p.Name == "" {
		errs = append(errs, errors.New("Config.Provider.Name is empty"))
	}
	if p.NewDriver == nil {
		errs = append(errs, fmt.Errorf("Config.Provider.NewDriver of provider %q is nil", p.Name))
	}
	if len(p.SampleProviderSpec) == 0 {
		errs = append(errs, fmt.Errorf("Config.Provider.SampleProviderSpec of provider %q is empty: the suite needs a valid MachineClass providerSpec", p.Name))
	}
	if len(p.SampleSecret) == 0 {
		errs = append(errs, fmt.Errorf("Config.Provider.SampleSecret of provider %q is empty: the suite needs the class's secret data", p.Name))
	}
	if c.ScaleMachines < 0 {
		errs = append(errs, fmt.Errorf("Config.ScaleMachines is %d; want 0 (no scale group) or more", c.ScaleMachines))
	}
	inCluster := c.Kubeconfig != ""
	if inCluster {
		if c.InCluster.ControllerImage == "" {
			errs = append(errs, errors.New("Config.InCluster.ControllerImage is empty: a run on Config.Kubeconfig's cluster deploys the controller from it"))
		}
		if p.NewSimulator != nil && c.InCluster.SimulatorImage == "" {
			errs = append(errs, fmt.Errorf("Config.InCluster.SimulatorImage is empty: provider %q has a simulator, which must run in the cluster too (or run against the real cloud)", p.Name))
		}
		if p.NewSimulator != nil && p.SimulatorCloud == "" {
			errs = append(errs, fmt.Errorf("Config.Provider.SimulatorCloud of provider %q is empty: its simulator cannot run in a cluster, as cmd/cloud-simulator does not serve it (run against the real cloud)", p.Name))
		}
		if len(c.ControllerCommand) > 0 {
			errs = append(errs, errors.New("Config.ControllerCommand starts a local process: on Config.Kubeconfig's cluster the controller runs from Config.InCluster.ControllerImage"))
		}
	} else if c.InCluster.ControllerImage != "" || c.InCluster.SimulatorImage != "" || len(c.InCluster.ControllerCommand) > 0 {
		errs = append(errs, errors.New("Config.InCluster is set but Config.Kubeconfig is empty: the images run only on a cluster"))
	}
	switch c.Controller {
	case "", ControllerReference:
	case ControllerMCM:
		if len(c.ControllerCommand) == 0 && !inCluster {
			errs = append(errs, errors.New("Config.ControllerCommand is empty: Controller \"mcm\" needs the command that starts MCM's machine controller (bin/mcm-machine-controller --provider=NAME, or your own binary)"))
		}
	default:
		errs = append(errs, fmt.Errorf("Config.Controller is %q; want %q or %q", c.Controller, ControllerReference, ControllerMCM))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("Config.Timeout is negative (%s)", c.Timeout))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, errors.Join(errs...))
	}
	if c.Timeout == 0 {
		c.Timeout = 60 * time.Second
	}
	return nil
}
