package testcluster

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

func TestControllerManagerDeletesNamespaces(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	ctx := context.Background()
	c, err := Start(ctx, Options{ControllerManager: true, SkipCRDs: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	})
	cs := kubernetes.NewForConfigOrDie(c.Config)
	ns, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "gone-"}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cs.CoreV1().Namespaces().Delete(ctx, ns.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		_, err := cs.CoreV1().Namespaces().Get(ctx, ns.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("namespace %s still exists 60 s after deletion: kube-controller-manager is not finalizing namespaces", ns.Name)
}

func TestAssetsDirRejectsIncompleteFolder(t *testing.T) {
	t.Parallel()
	if _, err := assetsDir(context.Background(), t.TempDir()); err == nil {
		t.Fatal("an empty assets folder was accepted")
	}
}

func TestEtcdFlagsReachEtcd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	t.Parallel()
	for _, tc := range []struct {
		name    string
		flags   map[string][]string
		wantErr bool
	}{
		{name: "a flag etcd knows", flags: map[string][]string{"snapshot-count": {"1000"}}},
		{name: "a flag etcd does not know", flags: map[string][]string{"no-such-flag": {"1"}}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Start(context.Background(), Options{SkipCRDs: true, EtcdFlags: tc.flags})
			if err == nil {
				if err := c.Stop(); err != nil {
					t.Error(err)
				}
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("Start with etcd flags %v: error %v, want error: %v", tc.flags, err, tc.wantErr)
			}
		})
	}
}
