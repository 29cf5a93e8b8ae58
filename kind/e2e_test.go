package kind

import (
	"archive/tar"
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

var (
	e2eKubeconfig = flag.String("kind-e2e-kubeconfig", "", "run the end-to-end test on the kind cluster of this kubeconfig (the file `make kind-up` prints)")
	e2eCluster    = flag.String("kind-e2e-cluster", DefaultClusterName, "name of that kind cluster")
)

const probeImage = "machine-conformance.local/kind-apiprobe:e2e"

// TestE2EPodReachesAPIServer loads a one-file image of cmd/kind-apiprobe into
// an existing kind cluster with LoadImageArchive, runs it as a pod, and
// requires the pod to reach the API server through the kubernetes Service
// and to resolve it through cluster DNS:
// node Ready, pod network, kube-proxy, CoreDNS, ServiceAccount tokens, no
// registry.
//
//	go test ./kind -run E2E -args -kind-e2e-kubeconfig="$(make -s kind-up)"
func TestE2EPodReachesAPIServer(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: skipped with -short")
	}
	if *e2eKubeconfig == "" {
		t.Skip("end-to-end: needs -kind-e2e-kubeconfig=FILE, the kubeconfig `make kind-up` prints")
	}
	if err := exec.Command("docker", "info").Run(); err != nil {
		t.Skipf("end-to-end: no container engine answers `docker info` (%v); run hack/container-engine.sh", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	archive := buildProbeArchive(t)
	clusters, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := clusters.LoadImageArchive(Options{Name: *e2eCluster}, archive); err != nil {
		t.Fatal(err)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *e2eKubeconfig)
	if err != nil {
		t.Fatalf("kubeconfig %s: %v", *e2eKubeconfig, err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "kind-apiprobe-", Namespace: "default"},
		Spec: corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{
				Name: "probe", Image: probeImage, ImagePullPolicy: corev1.PullNever, Command: []string{"/probe"},
			}},
		},
	}
	pod, err = client.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("creating the probe pod: %v", err)
	}
	t.Cleanup(func() {
		_ = client.CoreV1().Pods("default").Delete(context.Background(), pod.Name, metav1.DeleteOptions{})
	})
	start := time.Now()
	var phase corev1.PodPhase
	err = wait.PollUntilContextCancel(ctx, time.Second, true, func(ctx context.Context) (bool, error) {
		current, err := client.CoreV1().Pods("default").Get(ctx, pod.Name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		phase = current.Status.Phase
		return phase == corev1.PodSucceeded || phase == corev1.PodFailed, nil
	})
	logs, _ := client.CoreV1().Pods("default").GetLogs(pod.Name, &corev1.PodLogOptions{}).DoRaw(context.Background())
	if err != nil || phase != corev1.PodSucceeded {
		t.Fatalf("probe pod %s ended %q (wait: %v); its log:\n%s", pod.Name, phase, err, logs)
	}
	if !strings.HasPrefix(string(logs), "apiserver ") || !strings.Contains(string(logs), "kubernetes.default.svc is [") {
		t.Fatalf("probe pod %s succeeded but logged %q, want \"apiserver <version> reached at <address>; kubernetes.default.svc is [...]\"", pod.Name, logs)
	}
	t.Logf("pod %s ran in %s: %s", pod.Name, time.Since(start).Round(100*time.Millisecond), strings.TrimSpace(string(logs)))
}

// buildProbeArchive builds cmd/kind-apiprobe statically, makes it the only
// file of image probeImage and returns that image's docker save archive.
func buildProbeArchive(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	binary := filepath.Join(dir, "probe")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binary, "../cmd/kind-apiprobe")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building cmd/kind-apiprobe: %v\n%s", err, out)
	}
	content, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	var rootfs bytes.Buffer
	w := tar.NewWriter(&rootfs)
	if err := w.WriteHeader(&tar.Header{Name: "probe", Mode: 0o755, Size: int64(len(content))}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	docker := exec.Command("docker", "import", "-", probeImage)
	docker.Stdin = &rootfs
	if out, err := docker.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("docker", "rmi", probeImage).Run() })
	archive := filepath.Join(dir, "probe.tar")
	if out, err := exec.Command("docker", "save", "-o", archive, probeImage).CombinedOutput(); err != nil {
		t.Fatalf("docker save: %v\n%s", err, out)
	}
	return archive
}
