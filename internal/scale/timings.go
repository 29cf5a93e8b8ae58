package scale

import (
	"fmt"
	"sort"
	"time"

	dto "github.com/prometheus/client_model/go"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"
)

// ControllerTiming is how one of the controller's reconcilers spent the run:
// how often it ran, how long a reconcile took and how long a request
// waited in its queue, on average. Where the time goes when the API
// server is not the wall.
type ControllerTiming struct {
	Name       string
	Reconciles uint64
	Reconcile  time.Duration
	QueueWait  time.Duration
}

func (t ControllerTiming) String() string {
	return fmt.Sprintf("%s: %d reconciles of %s, %s queued", t.Name, t.Reconciles,
		t.Reconcile.Round(time.Microsecond*100), t.QueueWait.Round(time.Microsecond*100))
}

// controllerTimings reads controller-runtime's histograms of reconcile
// time and queue wait from its metrics registry.
func controllerTimings() ([]ControllerTiming, error) {
	families, err := ctrlmetrics.Registry.Gather()
	if err != nil {
		return nil, fmt.Errorf("scale: reading the controller's metrics: %w", err)
	}
	byName := map[string]*ControllerTiming{}
	get := func(name string) *ControllerTiming {
		if byName[name] == nil {
			byName[name] = &ControllerTiming{Name: name}
		}
		return byName[name]
	}
	for _, f := range families {
		switch f.GetName() {
		case "controller_runtime_reconcile_time_seconds":
			for _, m := range f.GetMetric() {
				t, h := get(label(m, "controller")), m.GetHistogram()
				t.Reconciles = h.GetSampleCount()
				t.Reconcile = mean(h)
			}
		case "workqueue_queue_duration_seconds":
			for _, m := range f.GetMetric() {
				get(label(m, "name")).QueueWait = mean(m.GetHistogram())
			}
		}
	}
	out := make([]ControllerTiming, 0, len(byName))
	for _, t := range byName {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func mean(h *dto.Histogram) time.Duration {
	if h.GetSampleCount() == 0 {
		return 0
	}
	return time.Duration(h.GetSampleSum() / float64(h.GetSampleCount()) * float64(time.Second))
}
