package conformance

import (
	"net/http"
	"net/url"
	"testing"
)

func TestPermissionOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path, query string
		want                permission
		ok                  bool
	}{
		{"GET", "/api/v1/nodes", "", permission{"", "nodes", "list"}, true},
		{"GET", "/api/v1/nodes", "watch=true", permission{"", "nodes", "watch"}, true},
		{"DELETE", "/api/v1/nodes/n1", "", permission{"", "nodes", "delete"}, true},
		{"GET", "/api/v1/namespaces/ns/secrets/s", "", permission{"", "secrets", "get"}, true},
		{"PATCH", "/apis/machine.sapcloud.io/v1alpha1/namespaces/ns/machines/m/status", "", permission{"machine.sapcloud.io", "machines/status", "patch"}, true},
		{"PUT", "/apis/machine.sapcloud.io/v1alpha1/namespaces/ns/machineclasses/c", "", permission{"machine.sapcloud.io", "machineclasses", "update"}, true},
		{"POST", "/apis/events.k8s.io/v1/namespaces/ns/events", "", permission{"events.k8s.io", "events", "create"}, true},
		{"GET", "/api/v1/namespaces/ns", "", permission{"", "namespaces", "get"}, true},
		{"GET", "/apis", "", permission{}, false},
		{"GET", "/version", "", permission{}, false},
	}
	for _, tc := range tests {
		req := &http.Request{Method: tc.method, URL: &url.URL{Path: tc.path, RawQuery: tc.query}}
		got, ok := permissionOf(req)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s %s?%s = %+v, %v; want %+v, %v", tc.method, tc.path, tc.query, got, ok, tc.want, tc.ok)
		}
	}
}
