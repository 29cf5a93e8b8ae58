package kind

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// baseTools are what the scripts call before they look for an engine; a
// PATH of only these has no docker, dockerd or apt-get.
var baseTools = []string{"bash", "env", "awk", "mkdir", "cat", "date", "timeout", "dirname", "sed", "grep",
	"tr", "sort", "comm", "id", "uname", "head", "tail", "cut", "basename", "nice", "ionice", "rm", "ls",
	"printf", "sleep", "readlink"}

// Where no engine can be had (no dockerd, and no apt-get to install it),
// hack/conformance.sh with CLUSTER=kind, and the scripts under it, exit 3
// with one line that says why: .ci/run skips the kind tier on that code
// and fails on any other.
func TestScriptsExitThreeWithoutAnEngine(t *testing.T) {
	t.Parallel()
	bin := t.TempDir()
	for _, tool := range baseTools {
		if p, err := exec.LookPath(tool); err == nil {
			if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
				t.Fatal(err)
			}
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		script string
		args   []string
	}{
		{"hack/container-engine.sh", nil},
		{"hack/kind-up.sh", []string{"no-engine-test"}},
		{"hack/conformance.sh", []string{"aws"}},
	} {
		t.Run(filepath.Base(tc.script), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(filepath.Join(bin, "bash"), append([]string{filepath.Join(root, tc.script)}, tc.args...)...)
			cmd.Env = []string{"PATH=" + bin, "HOME=" + t.TempDir(), "CLUSTER=kind"}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 3 {
				t.Fatalf("%s with no docker, dockerd or apt-get on PATH: %v, want exit code 3; stderr:\n%s", tc.script, err, &stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "no container engine: dockerd is not installed") {
				t.Errorf("%s's stderr is %q, want one line naming the reason", tc.script, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("%s printed %q on stdout, want nothing (kind-up's stdout is a kubeconfig path)", tc.script, stdout.String())
			}
		})
	}
}
