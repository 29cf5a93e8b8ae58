package conformance

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/drivercalls"
)

// MCM's timeouts and periods in a run with ControllerMCM. MCM runs on the
// wall clock, so the suite shortens them with MCM's own flags: long enough
// for a simulated VM to join (about a second), short enough to wait out.
const (
	mcmCreationTimeout   = 20 * time.Second
	mcmHealthTimeout     = 10 * time.Second
	mcmSafetySweepPeriod = 5 * time.Second
)

// startMCM starts MCM's machine controller (Config.ControllerCommand) as a
// child process with MCM's standard flags, against the run's control plane
// as both control and target cluster, in the run's namespace. Its output
// goes through the secret scanner into a log file whose path it prints.
func (h *harness) startMCM(ctx context.Context) error {
	kubeconfig, err := h.cluster.KubeConfig("machine-controller-manager", []string{"system:masters"})
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "machine-conformance-mcm-")
	if err != nil {
		return err
	}
	kcPath := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(kcPath, kubeconfig, 0o600); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	logPath := filepath.Join(dir, "controller.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	argv := append(slices.Clone(h.cfg.ControllerCommand),
		"--control-kubeconfig="+kcPath, "--target-kubeconfig="+kcPath, "--namespace="+h.namespace,
		"--leader-elect=false", "--port="+strconv.Itoa(port), "--address=127.0.0.1",
		"--machine-creation-timeout="+mcmCreationTimeout.String(),
		"--machine-health-timeout="+mcmHealthTimeout.String(),
		"--machine-safety-orphan-vms-period="+mcmSafetySweepPeriod.String(),
		"--v=3")
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = os.Environ()
	for k, v := range h.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// bin/mcm-machine-controller records its driver calls there for the
	// trace; a provider's own binary ignores it.
	h.trace.callFile = filepath.Join(dir, "driver-calls.jsonl")
	cmd.Env = append(cmd.Env, drivercalls.EnvFile+"="+h.trace.callFile)
	out := io.MultiWriter(logFile, h.secrets.stream("the machine controller's output"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return fmt.Errorf("starting MCM's machine controller %q: %w", argv[0], err)
	}
	fmt.Fprintf(console, "conformance: MCM's machine controller (%s) runs as pid %d; its log: %s\n", argv[0], cmd.Process.Pid, logPath)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	h.stop = append(h.stop, func() error {
		defer logFile.Close()
		defer os.Remove(kcPath) // admin credentials; the log stays for reading
		// MCM's app.Run never returns after a stop: ask, then insist.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		return nil
	})
	// A controller that dies at once (a bad flag, a missing driver) fails
	// the run here, not through every spec's timeout.
	select {
	case err := <-exited:
		return fmt.Errorf("MCM's machine controller %q exited at start (%v); its log: %s", argv[0], err, logPath)
	case <-time.After(2 * time.Second):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// freePort asks the kernel for a free TCP port on loopback.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// timeoutWait is how long a spec waits for a timeout's outcome: MCM checks
// its creation timeout only when it next looks at the machine, at least
// once a minute (a fixed period), so its runs wait that much longer.
func (h *harness) timeoutWait() time.Duration {
	switch {
	case h.cfg.Controller == ControllerMCM:
		return h.cfg.Timeout + mcmCreationTimeout + 90*time.Second
	case h.inCluster():
		return h.cfg.Timeout + inClusterCreationTimeout
	}
	return h.cfg.Timeout
}

// referenceOnly skips a spec that needs the in-process reference
// controller, saying why.
func (h *harness) referenceOnly(why string) {
	GinkgoHelper()
	if h.cfg.Controller == ControllerMCM {
		Skip("runs with the reference controller only: " + why)
	}
}

// passCreationTimeout makes the creation timeout pass: the reference
// controller's fake clock steps past it; MCM's short wall-clock timeout
// passes while the spec waits for the outcome.
func (h *harness) passCreationTimeout() { h.stepClock(controller.DefaultCreationTimeout) }

// passHealthTimeout does the same for the health timeout.
func (h *harness) passHealthTimeout() { h.stepClock(controller.DefaultHealthTimeout) }

func (h *harness) stepClock(past time.Duration) {
	if h.clock != nil {
		h.clock.Step(past + time.Second)
	}
}

// sweep runs the orphan-VM sweep: the reference controller's at once;
// MCM's runs every mcmSafetySweepPeriod on its own, so the spec's waits
// cover it.
func (h *harness) sweep(ctx context.Context) error {
	if h.ctrl == nil {
		return nil
	}
	_, err := h.ctrl.SafetySweep.Sweep(ctx)
	return err
}
