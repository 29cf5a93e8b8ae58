package scale

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// ceilingConcurrency is how many writers probe the API server at once.
const ceilingConcurrency = 32

// ceilingWarmUp is how long the probe writes before it counts: a fresh API
// server takes about 40% fewer writes in its first seconds (345 against
// 500 writes/s in two 5 s probes one after the other, measured here).
const ceilingWarmUp = 3 * time.Second

// measureCeiling measures what this box's API server takes of a
// machine-like write mix: Machine creates followed by a status update
// each, by ceilingConcurrency writers for about d, in a namespace of its
// own, after ceilingWarmUp. It returns writes per second.
func measureCeiling(ctx context.Context, c client.Client, d time.Duration) (float64, error) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "scale-ceiling-"}}
	if err := c.Create(ctx, ns); err != nil {
		return 0, fmt.Errorf("scale: a namespace for the ceiling probe: %w", err)
	}
	defer func() { _ = c.Delete(context.Background(), ns) }()
	var writes atomic.Int64
	var firstErr error
	var once sync.Once
	start := time.Now().Add(ceilingWarmUp)
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range ceilingConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				m := &v1alpha1.Machine{ObjectMeta: metav1.ObjectMeta{Namespace: ns.Name, Name: fmt.Sprintf("probe-%d-%d", w, i)},
					Spec: v1alpha1.MachineSpec{Class: v1alpha1.ClassSpec{Kind: "MachineClass", Name: "probe"}}}
				if err := c.Create(ctx, m); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				m.Status.CurrentStatus.Phase = v1alpha1.MachinePending
				if err := c.Status().Update(ctx, m); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				if time.Now().After(start) {
					writes.Add(2)
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, fmt.Errorf("scale: probing the API server: %w", firstErr)
	}
	return float64(writes.Load()) / time.Since(start).Seconds(), nil
}
