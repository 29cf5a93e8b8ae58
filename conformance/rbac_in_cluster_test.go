package conformance

import (
	"errors"
	"slices"
	"testing"
)

func TestRefusalsIn(t *testing.T) {
	t.Parallel()
	const family = "# HELP rest_client_requests_total Number of HTTP requests, partitioned by status code, method, and host.\n" +
		"# TYPE rest_client_requests_total counter\n"
	tests := []struct {
		name    string
		page    string
		want    []string
		wantErr bool
	}{
		{"none refused", family +
			`rest_client_requests_total{code="200",host="10.96.0.1:443",method="GET"} 120` + "\n" +
			`rest_client_requests_total{code="201",host="10.96.0.1:443",method="POST"} 4` + "\n", nil, false},
		{"refusals summed by method", family +
			`rest_client_requests_total{code="403",host="10.96.0.1:443",method="PATCH"} 2` + "\n" +
			`rest_client_requests_total{code="403",host="other:443",method="PATCH"} 1` + "\n" +
			`rest_client_requests_total{code="403",host="10.96.0.1:443",method="DELETE"} 1` + "\n" +
			`rest_client_requests_total{code="404",host="10.96.0.1:443",method="GET"} 9` + "\n", []string{"DELETE x1", "PATCH x3"}, false},
		{"no request metric at all", "# TYPE other counter\nother 1\n", nil, true},
		{"not a metrics page", "<html>", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := refusalsIn(tt.page)
			if tt.wantErr {
				if !errors.Is(err, errNoMetrics) {
					t.Fatalf("refusalsIn: %v, want errNoMetrics", err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("refusalsIn = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
