package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/machine-conformance/machine-conformance/controller"
	"github.com/machine-conformance/machine-conformance/internal/testcluster"
	"github.com/machine-conformance/machine-conformance/providers/memory"
)

// TestRunDrivesAMachine runs the command against a real API server through a
// kubeconfig file, with the memory provider chosen by name.
func TestRunDrivesAMachine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cluster, err := testcluster.Start(ctx, testcluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	kubeconfig, err := cluster.KubeConfig("admin", []string{"system:masters"})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, kubeconfig, 0o600); err != nil {
		t.Fatal(err)
	}

	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, []string{"--provider=memory", "--kubeconfig=" + path}, map[string]string{})
	}()

	scheme := runtime.NewScheme()
	if err := controller.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	c, err := client.New(cluster.Config, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	objs := []client.Object{
		&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "creds"},
			Data: map[string][]byte{memory.SecretToken: []byte(memory.DefaultToken), memory.SecretUserData: []byte("#!")}},
		&v1alpha1.MachineClass{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "cls"},
			ProviderSpec: runtime.RawExtension{Raw: []byte(`{"cluster":"cmd","size":"small"}`)},
			SecretRef:    &corev1.SecretReference{Namespace: "default", Name: "creds"}},
		&v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "m1"},
			Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "cls"}}},
	}
	for _, o := range objs {
		if err := c.Create(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	// The provider ID (spec) and the phase (status) are separate writes:
	// wait for both.
	m := &v1alpha1.Machine{}
	for m.Spec.ProviderID == "" || m.Status.CurrentStatus.Phase == "" {
		select {
		case err := <-done:
			t.Fatalf("the command stopped early: %v", err)
		case <-ctx.Done():
			t.Fatalf("the machine never got both a provider ID and a phase: %q, %q", m.Spec.ProviderID, m.Status.CurrentStatus.Phase)
		case <-time.After(100 * time.Millisecond):
		}
		if err := c.Get(ctx, client.ObjectKey{Namespace: "default", Name: "m1"}, m); err != nil {
			t.Fatal(err)
		}
	}
	if m.Status.CurrentStatus.Phase != v1alpha1.MachinePending {
		t.Errorf("phase %q, want Pending until a node joins", m.Status.CurrentStatus.Phase)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("the command did not stop cleanly: %v", err)
	}
}

func TestRunRejectsUnknownProvider(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"--provider=nope"}, nil)
	if err == nil || !strings.Contains(err.Error(), "known providers: aws, memory") {
		t.Fatalf("got %v, want an error listing the known providers", err)
	}
}
