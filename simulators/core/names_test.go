package core

import (
	"errors"
	"sync"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
)

func TestCallerChosenNamesAreUniqueAmongLiveVMs(t *testing.T) {
	t.Parallel()
	c := New(Options{Progression: Progression{ShuttingDownFor: time.Second}})
	spec := LaunchSpec{IDPrefix: "vm-", IDDigits: 8, Name: "web-1"}
	// Many launches of one name race; exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, taken := 0, 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Launch(spec)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				won++
			case errors.Is(err, ErrNameTaken):
				taken++
			default:
				t.Errorf("Launch: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || taken != 19 {
		t.Fatalf("%d launches of one name won, %d were refused; want 1 and 19", won, taken)
	}
	vm, err := c.ByName("web-1")
	if err != nil || vm.Name != "web-1" {
		t.Fatalf("ByName(web-1) = %+v, %v", vm, err)
	}
	if _, err := c.ByName("web-2"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ByName of an unused name: %v", err)
	}
	if _, err := c.Launch(LaunchSpec{IDPrefix: "vm-", IDDigits: 8, Name: "twins", Count: 2}); err == nil {
		t.Fatal("two VMs launched under one name")
	}
	// Once its holder is gone, the name is free again.
	if _, err := c.Terminate([]string{vm.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Launch(spec); err != nil {
		t.Fatalf("relaunching a terminated VM's name: %v", err)
	}
}

func TestOperationsFinishOnTheCloudsClock(t *testing.T) {
	t.Parallel()
	clk := clocktesting.NewFakeClock(time.Now())
	c := New(Options{Clock: clk})
	ok := c.StartOperation("insert", "vm-1", 2*time.Second, nil)
	failing := c.StartOperation("insert", "vm-2", time.Second, &FaultError{Code: "ZONE_RESOURCE_POOL_EXHAUSTED"})
	if ok.Done || failing.Done || ok.ID == failing.ID {
		t.Fatalf("operations done at once or sharing an ID: %+v %+v", ok, failing)
	}
	clk.Step(time.Second)
	if got, _ := c.Operation(failing.ID); !got.Done || got.Err == nil || got.Err.Code != "ZONE_RESOURCE_POOL_EXHAUSTED" {
		t.Fatalf("the failing operation after its second: %+v", got)
	}
	if got, _ := c.Operation(ok.ID); got.Done {
		t.Fatalf("an operation of 2 s done after 1 s: %+v", got)
	}
	clk.Step(time.Second)
	if got, _ := c.Operation(ok.ID); !got.Done || got.Err != nil {
		t.Fatalf("the operation after its 2 s: %+v", got)
	}
	if _, err := c.Operation("operation-none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown operation: %v", err)
	}
}
