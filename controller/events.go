package controller

import (
	"context"
	"fmt"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/manager"
)

// eventWriteGrace is how long event writes may go on after the manager stops.
const eventWriteGrace = 2 * time.Second

// newEventRecorder returns a recorder of events.k8s.io/v1 Events for the
// controller, whose broadcaster runs (and is shut down) with mgr. The
// manager of controller-runtime v0.22, the line MCM v0.62.1 builds with,
// only offers core/v1 recorders, so the broadcaster is ours.
func newEventRecorder(mgr manager.Manager) (eventRecorder, error) {
	cs, err := kubernetes.NewForConfig(mgr.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("controller: a client for events: %w", err)
	}
	b := events.NewBroadcaster(&events.EventSinkImpl{Interface: cs.EventsV1()})
	run := manager.RunnableFunc(func(ctx context.Context) error {
		// Writes get a grace period past the manager's stop, so events
		// sent just before it are written, not logged as cancelled.
		writes, cancel := context.WithCancel(context.WithoutCancel(ctx))
		if err := b.StartRecordingToSinkWithContext(writes); err != nil {
			cancel()
			return fmt.Errorf("controller: recording events: %w", err)
		}
		<-ctx.Done()
		b.Shutdown()
		time.AfterFunc(eventWriteGrace, cancel)
		return nil
	})
	if err := mgr.Add(run); err != nil {
		return nil, err
	}
	return b.NewRecorder(mgr.GetScheme(), ControllerName), nil
}
