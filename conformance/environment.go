package conformance

import (
	"fmt"
	"strings"
	"time"
)

// The variables FromEnvironment reads: what a CI job (such as the reusable
// kind workflow in .github/workflows) hands a provider's conformance test.
const (
	EnvKubeconfig        = "MACHINE_CONFORMANCE_KUBECONFIG"
	EnvController        = "MACHINE_CONFORMANCE_CONTROLLER"
	EnvControllerImage   = "MACHINE_CONFORMANCE_CONTROLLER_IMAGE"
	EnvControllerCommand = "MACHINE_CONFORMANCE_CONTROLLER_COMMAND"
	EnvSimulatorImage    = "MACHINE_CONFORMANCE_SIMULATOR_IMAGE"
	EnvReportDir         = "MACHINE_CONFORMANCE_REPORT_DIR"
	EnvTimeout           = "MACHINE_CONFORMANCE_TIMEOUT"
)

// FromEnvironment sets the fields of cfg whose variable getenv (usually
// os.Getenv) gives a value, and leaves the others as they are, so one test
// runs on the embedded control plane by default and on a cluster in CI:
//
//	cfg := conformance.Config{Provider: p}
//	if err := conformance.FromEnvironment(&cfg, os.Getenv); err != nil {
//		t.Fatal(err)
//	}
//	conformance.Test(t, cfg)
//
// EnvControllerCommand is split on spaces.
func FromEnvironment(cfg *Config, getenv func(string) string) error {
	set := func(field *string, name string) {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*field = v
		}
	}
	set(&cfg.Kubeconfig, EnvKubeconfig)
	set(&cfg.Controller, EnvController)
	set(&cfg.InCluster.ControllerImage, EnvControllerImage)
	set(&cfg.InCluster.SimulatorImage, EnvSimulatorImage)
	set(&cfg.ReportDir, EnvReportDir)
	if v := getenv(EnvControllerCommand); strings.TrimSpace(v) != "" {
		cfg.InCluster.ControllerCommand = strings.Fields(v)
	}
	if v := strings.TrimSpace(getenv(EnvTimeout)); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%w: %s=%q: %w", ErrInvalidConfig, EnvTimeout, v, err)
		}
		cfg.Timeout = d
	}
	return nil
}
