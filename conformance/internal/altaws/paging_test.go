package altaws_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// TestListPages creates 1,100 VMs through the driver, more than one
// DescribeInstances page of 1,000, and lists them all.
func TestListPages(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 1,100 VMs; skipped under -short")
	}
	// Not parallel, and with the SDK's own retries: once, under a loaded
	// CI machine, reading the 1,100-instance answer failed with "use of
	// closed network connection" on the client side; paging is what this
	// test checks.
	const vms, workers = 1100, 16
	e := newEnv(t, core.Options{}, 0)
	ctx := context.Background()

	start := time.Now()
	names := make(chan string)
	errs := make(chan error, vms)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for name := range names {
				if _, err := e.create(ctx, name); err != nil {
					errs <- fmt.Errorf("CreateMachine %s: %w", name, err)
				}
			}
		})
	}
	for i := range vms {
		names <- fmt.Sprintf("page-%04d", i)
	}
	close(names)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	created := time.Since(start)
	for i := range 3 {
		e.inject("someone-else", fmt.Sprintf("page-%04d", i))
	}

	before := describeCalls(e)
	start = time.Now()
	listed := e.list(t)
	t.Logf("created %d VMs with %d workers in %v; ListMachines took %v in %d DescribeInstances calls",
		vms, workers, created.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), describeCalls(e)-before)
	if len(listed) != vms {
		t.Fatalf("ListMachines returned %d VMs, want %d", len(listed), vms)
	}
	seen := map[string]bool{}
	for _, name := range listed {
		seen[name] = true
	}
	for i := range vms {
		if name := fmt.Sprintf("page-%04d", i); !seen[name] {
			t.Fatalf("ListMachines lacks %s", name)
		}
	}
	if n := describeCalls(e) - before; n < 2 {
		t.Fatalf("ListMachines made %d DescribeInstances calls for %d VMs; pages hold 1,000", n, vms)
	}
}

// describeCalls counts the DescribeInstances calls the simulator answered.
func describeCalls(e *env) int {
	n := 0
	for _, ev := range e.srv.Cloud().Events() {
		if ev.Kind == core.KindCall && ev.Operation == "DescribeInstances" {
			n++
		}
	}
	return n
}
