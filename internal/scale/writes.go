package scale

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// RequestWrites is how many writes of one kind a machine cost.
type RequestWrites struct {
	Request    string // method and resource, e.g. "PATCH machines/status"
	PerMachine float64
}

func (w RequestWrites) String() string { return fmt.Sprintf("%s %.1f", w.Request, w.PerMachine) }

// writeCounter counts writes by method and resource.
type writeCounter struct {
	mu sync.Mutex
	by map[string]int64
}

func (c *writeCounter) add(request string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]int64{}
	}
	c.by[request]++
}

func (c *writeCounter) total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, v := range c.by {
		n += v
	}
	return n
}

func (c *writeCounter) perMachine(n int) []RequestWrites {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]RequestWrites, 0, len(c.by))
	for k, v := range c.by {
		out = append(out, RequestWrites{Request: k, PerMachine: float64(v) / float64(n)})
	}
	slices.SortFunc(out, func(a, b RequestWrites) int {
		return cmp.Or(cmp.Compare(b.PerMachine, a.PerMachine), strings.Compare(a.Request, b.Request))
	})
	return out
}

// countWrites counts the requests that change the API server's state.
type countWrites struct {
	next   http.RoundTripper
	writes *writeCounter
}

func (c countWrites) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return c.next.RoundTrip(r)
	}
	resp, err := c.next.RoundTrip(r)
	request := r.Method + " " + resourceOf(r.URL.Path)
	if resp != nil && resp.StatusCode >= 300 {
		request += fmt.Sprintf(" (%d)", resp.StatusCode)
	}
	c.writes.add(request)
	return resp, err
}

// resourceOf reads "resource" or "resource/subresource" from an API path
// such as /apis/machine.sapcloud.io/v1alpha1/namespaces/ns/machines/m/status.
func resourceOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) >= 2 && parts[0] == "api":
		parts = parts[2:] // api, version
	case len(parts) >= 3 && parts[0] == "apis":
		parts = parts[3:] // apis, group, version
	default:
		return path
	}
	if len(parts) >= 2 && parts[0] == "namespaces" {
		if len(parts) == 2 {
			return "namespaces"
		}
		parts = parts[2:]
	}
	switch len(parts) {
	case 0:
		return path
	case 1, 2:
		return parts[0]
	default:
		return parts[0] + "/" + parts[2]
	}
}
