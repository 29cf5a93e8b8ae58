package controller

import (
	"context"
	"fmt"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/manager"
)

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
		b.StartRecordingToSink(ctx.Done())
		<-ctx.Done()
		b.Shutdown()
		return nil
	})
	if err := mgr.Add(run); err != nil {
		return nil, err
	}
	return b.NewRecorder(mgr.GetScheme(), ControllerName), nil
}
