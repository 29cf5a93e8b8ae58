package controller

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"
)

// wakeups requeue a machine when a wait measured on Options.Clock ends:
// a creation or health timeout, a retry period. On the real clock that is
// a timer; on a fake clock, the test's step that passes the moment. So a
// waiting machine costs nothing until then, and polling (PollInterval) is
// only a safety net in real time, instead of the way waits end.
type wakeups struct {
	clock clock.WithTicker

	mu      sync.Mutex
	queue   workqueue.TypedRateLimitingInterface[reconcile.Request] // nil until the controller starts
	pending map[types.NamespacedName]time.Time                      // the earliest wake-up set, by machine
}

func newWakeups(c clock.WithTicker) *wakeups {
	return &wakeups{clock: c, pending: map[types.NamespacedName]time.Time{}}
}

// source hands the controller's queue to the wake-ups when it starts.
func (w *wakeups) source() source.Source {
	return source.Func(func(_ context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request]) error {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.queue = q
		return nil
	})
}

// after requeues the machine once d has passed on the clock, unless an
// earlier wake-up for it is pending already (that one requeues it, and
// the reconcile then asks again).
func (w *wakeups) after(key types.NamespacedName, d time.Duration) {
	if d <= 0 {
		d = 0
	}
	at := w.clock.Now().Add(d)
	w.mu.Lock()
	if prev, ok := w.pending[key]; ok && !prev.After(at) {
		w.mu.Unlock()
		return
	}
	w.pending[key] = at
	w.mu.Unlock()
	fire := func() { go w.fire(key, at) } // a fake clock calls back under its own lock: take ours elsewhere
	if delayed, ok := w.clock.(clock.WithDelayedExecution); ok {
		delayed.AfterFunc(d, fire)
		return
	}
	t := w.clock.NewTimer(d)
	go func() { <-t.C(); fire() }()
}

func (w *wakeups) fire(key types.NamespacedName, at time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pending[key].Equal(at) {
		delete(w.pending, key)
	}
	if w.queue != nil {
		w.queue.Add(reconcile.Request{NamespacedName: key})
	}
}
