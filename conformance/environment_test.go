package conformance

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestFromEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		check   func(Config) bool
		wantErr bool
	}{
		{"nothing set keeps the config", nil, func(c Config) bool { return c.Kubeconfig == "" && c.ReportDir == "keep" }, false},
		{"a kind run", map[string]string{
			EnvKubeconfig: "/tmp/kc", EnvController: "mcm", EnvControllerImage: "ctl:1",
			EnvControllerCommand: " /machine-controller  --v=2 ", EnvSimulatorImage: "sim:1", EnvReportDir: "out", EnvTimeout: "90s",
		}, func(c Config) bool {
			return c.Kubeconfig == "/tmp/kc" && c.Controller == "mcm" && c.InCluster.ControllerImage == "ctl:1" &&
				slices.Equal(c.InCluster.ControllerCommand, []string{"/machine-controller", "--v=2"}) &&
				c.InCluster.SimulatorImage == "sim:1" && c.ReportDir == "out" && c.Timeout == 90*time.Second
		}, false},
		{"a bad timeout names the variable", map[string]string{EnvTimeout: "soon"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{ReportDir: "keep"}
			err := FromEnvironment(&cfg, func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidConfig) {
					t.Fatalf("FromEnvironment: %v, want ErrInvalidConfig", err)
				}
				return
			}
			if err != nil || !tt.check(cfg) {
				t.Fatalf("FromEnvironment gave %+v, %v", cfg, err)
			}
		})
	}
}
