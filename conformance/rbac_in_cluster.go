package conformance

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"k8s.io/client-go/kubernetes"
)

// errNoMetrics means the controller's metrics could not be read.
var errNoMetrics = errors.New("the deployed controller's metrics")

// requestsMetric is client-go's count of API requests by answer code,
// which controller-runtime's metrics registry serves.
const requestsMetric = "rest_client_requests_total"

// controllerRefusals reads the deployed controller's metrics through the
// API server's pod proxy and returns the requests answered 403, as
// "METHOD xCOUNT" by method. A controller in a pod runs under its
// ServiceAccount's token, so this is what its ClusterRole refused.
func (h *harness) controllerRefusals(ctx context.Context) ([]string, error) {
	kube, err := kubernetes.NewForConfig(h.config)
	if err != nil {
		return nil, err
	}
	raw, err := kube.CoreV1().Pods(h.namespace).ProxyGet("http", h.controllerPod, strconv.Itoa(inClusterMetricsPort), "metrics", nil).DoRaw(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: GET pod %s/%s port %d /metrics through the API server: %w", errNoMetrics, h.namespace, h.controllerPod, inClusterMetricsPort, err)
	}
	return refusalsIn(string(raw))
}

// refusalsIn finds the 403 answers in a metrics page.
func refusalsIn(page string) ([]string, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(page))
	if err != nil {
		return nil, fmt.Errorf("%w: unreadable: %w", errNoMetrics, err)
	}
	family, ok := families[requestsMetric]
	if !ok {
		return nil, fmt.Errorf("%w: no %s among %d metric families", errNoMetrics, requestsMetric, len(families))
	}
	byMethod := map[string]float64{}
	for _, m := range family.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["code"] == "403" && m.GetCounter().GetValue() > 0 {
			byMethod[labels["method"]] += m.GetCounter().GetValue()
		}
	}
	var out []string
	for method, n := range byMethod {
		out = append(out, fmt.Sprintf("%s x%d", method, int(n)))
	}
	sort.Strings(out)
	return out, nil
}
