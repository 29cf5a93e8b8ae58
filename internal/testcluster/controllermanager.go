package testcluster

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

// controllerManager runs kube-controller-manager with the two controllers a
// bare envtest lacks and our tests need: namespace deletion and garbage
// collection (a deleted MachineSet's machines).
type controllerManager struct {
	cmd  *exec.Cmd
	dir  string
	done chan error
}

func startControllerManager(env *envtest.Environment, assets string) (*controllerManager, error) {
	bin := filepath.Join(assets, "kube-controller-manager")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%w: %s lacks kube-controller-manager (Options.ControllerManager needs it)", ErrNoAssets, assets)
	}
	user, err := env.AddUser(envtest.User{Name: "kube-controller-manager", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return nil, err
	}
	kubeconfig, err := user.KubeConfig()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "kcm-")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := os.WriteFile(path, kubeconfig, 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"--kubeconfig="+path,
		"--controllers=namespace,garbagecollector",
		"--leader-elect=false",
		"--secure-port=0",
		"--concurrent-gc-syncs=5",
		"--namespace-sync-period=10s",
	)
	logFile, err := os.Create(filepath.Join(dir, "kube-controller-manager.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	cm := &controllerManager{cmd: cmd, dir: dir, done: make(chan error, 1)}
	go func() { cm.done <- cmd.Wait(); logFile.Close() }()
	select {
	case err := <-cm.done:
		log, _ := os.ReadFile(logFile.Name())
		return nil, fmt.Errorf("kube-controller-manager exited at once: %v\n%s", err, tail(log, 2000))
	case <-time.After(300 * time.Millisecond):
	}
	return cm, nil
}

func (cm *controllerManager) stop(ctx context.Context) error {
	_ = cm.cmd.Process.Signal(os.Interrupt)
	select {
	case <-cm.done:
	case <-ctx.Done():
		_ = cm.cmd.Process.Kill()
		<-cm.done
	}
	return os.RemoveAll(cm.dir)
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
