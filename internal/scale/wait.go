package scale

import (
	"context"
	"fmt"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// counts is how many machines the namespace holds and how many of them are Running.
type counts struct{ total, running int }

// waitFor polls every 500 ms until done says so, printing progress; it
// fails after opts.Timeout naming the counts. Reading every machine twice
// a second would cost, at 10,000 machines, more CPU than the controller
// under measure, so polls are cheap estimates (the MachineSet's status for
// Running, a one-item page's remaining count for the total), and only an
// estimate that says done is checked against the full list.
func waitFor(ctx context.Context, c client.Client, ms *v1alpha1.MachineSet, what string, opts Options, done func(running, total int) bool) error {
	start, lastProgress := time.Now(), time.Now()
	for {
		n, err := estimate(ctx, c, ms)
		if err != nil {
			return err
		}
		if done(n.running, n.total) {
			if n, err = exact(ctx, c, ms.Namespace); err != nil {
				return err
			}
			if done(n.running, n.total) {
				return nil
			}
		}
		if opts.Progress != nil && time.Since(lastProgress) >= opts.ProgressEvery {
			fmt.Fprintf(opts.Progress, "scale: %d machines, %d Running, after %.0f s (waiting until %s)\n",
				n.total, n.running, time.Since(start).Seconds(), what)
			lastProgress = time.Now()
		}
		if time.Since(start) > opts.Timeout {
			return fmt.Errorf("scale: after %s, %d machines, %d Running: gave up waiting until %s", opts.Timeout, n.total, n.running, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// estimate reads the MachineSet's ready count and the namespace's machine
// count without reading the machines.
func estimate(ctx context.Context, c client.Client, ms *v1alpha1.MachineSet) (counts, error) {
	set := &v1alpha1.MachineSet{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(ms), set); err != nil {
		return counts{}, err
	}
	page := &v1alpha1.MachineList{}
	if err := c.List(ctx, page, client.InNamespace(ms.Namespace), client.Limit(1)); err != nil {
		return counts{}, err
	}
	total := len(page.Items)
	if page.RemainingItemCount != nil {
		total += int(*page.RemainingItemCount)
	}
	return counts{total: total, running: int(set.Status.ReadyReplicas)}, nil
}

// exactPage is how many machines exact reads per request. Read in one
// list, 10,000 machines took kube-apiserver from about 420 MB to 855 MB at
// once (it holds a whole list of custom resources as unstructured maps):
// its peak of the run. Read in pages of 500, its peak was 447 MB.
const exactPage = 500

// exact counts from every machine in the namespace, read a page at a time.
func exact(ctx context.Context, c client.Client, namespace string) (counts, error) {
	var n counts
	next := ""
	for {
		list := &v1alpha1.MachineList{} // a fresh one: decoding into the last page would keep its continue token
		if err := c.List(ctx, list, client.InNamespace(namespace), client.Limit(exactPage), client.Continue(next)); err != nil {
			return counts{}, err
		}
		n.total += len(list.Items)
		for _, m := range list.Items {
			if m.Status.CurrentStatus.Phase == v1alpha1.MachineRunning {
				n.running++
			}
		}
		if next = list.Continue; next == "" {
			return n, nil
		}
	}
}
