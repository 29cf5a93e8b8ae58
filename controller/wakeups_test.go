package controller

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

func TestWakeupsRequeueWhenTheClockPassesTheMoment(t *testing.T) {
	t.Parallel()
	clk := clocktesting.NewFakeClock(time.Now())
	w := newWakeups(clk)
	q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
	defer q.ShutDown()
	if err := w.source().Start(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	early, late := types.NamespacedName{Namespace: "ns", Name: "early"}, types.NamespacedName{Namespace: "ns", Name: "late"}
	w.after(late, time.Minute)
	w.after(early, 10*time.Second)
	w.after(early, time.Minute) // a later wake-up for a machine with an earlier one pending adds nothing

	clk.Step(9 * time.Second)
	if n := waitLen(q, 0); n != 0 {
		t.Fatalf("%d requeued before any wake-up was due", n)
	}
	clk.Step(time.Second)
	if n := waitLen(q, 1); n != 1 {
		t.Fatalf("%d requeued when one wake-up was due", n)
	}
	if req, _ := q.Get(); req.NamespacedName != early {
		t.Fatalf("requeued %v, want %v", req, early)
	}
	clk.Step(time.Minute)
	if n := waitLen(q, 1); n != 1 {
		t.Fatalf("%d requeued a minute on, want only %v", n, late)
	}
	if req, _ := q.Get(); req.NamespacedName != late {
		t.Fatalf("requeued %v, want %v", req, late)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pending) != 0 {
		t.Fatalf("wake-ups still pending after all fired: %v", w.pending)
	}
}

// waitLen gives callbacks (run on goroutines) a moment to reach the queue.
func waitLen(q workqueue.TypedRateLimitingInterface[reconcile.Request], want int) int {
	deadline := time.Now().Add(2 * time.Second)
	for q.Len() < want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if want == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	return q.Len()
}
