package ec2

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// request is a parsed, authenticated Query request.
type request struct {
	action    string
	id        string // request ID echoed in answers
	params    url.Values
	accessKey string
	region    string            // from the SigV4 credential scope; a region of the world
	extra     map[string]string // fault attributes an action adds
}

const maxBody = 1 << 20

func (s *Server) readRequest(r *http.Request) (*request, error) {
	req := &request{id: s.cloud.NewID("", 8) + "-sim-" + s.cloud.NewID("", 12)}
	if r.Method != http.MethodPost {
		return req, &apiError{Status: http.StatusBadRequest, Code: "InvalidHttpRequest",
			Message: "the EC2 simulator accepts Query requests by POST only, got " + r.Method}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return req, &apiError{Status: http.StatusBadRequest, Code: "InvalidHttpRequest", Message: err.Error()}
	}
	if len(body) > maxBody {
		return req, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge", Message: "request body over 1 MiB"}
	}
	if req.params, err = url.ParseQuery(string(body)); err != nil {
		return req, &apiError{Status: http.StatusBadRequest, Code: "MalformedQueryString", Message: err.Error()}
	}
	detach(req.params)
	req.action = req.params.Get("Action")
	if req.action == "" {
		return req, &apiError{Status: http.StatusBadRequest, Code: "MissingAction", Message: "the request has no Action parameter"}
	}
	signed, err := s.verifySignature(r, body)
	if err != nil {
		return req, err
	}
	req.accessKey, req.region = signed.AccessKeyID, signed.Region
	return req, nil
}

// detach copies each value out of the body it was parsed from (an
// unescaped value is a slice of it): a value an action keeps, such as a
// tag of a VM, would otherwise keep the whole body alive with the VM
// (20 MB of 184 MB live at 10,000 VMs, cmd/bench-scale --memprofile).
func detach(params url.Values) {
	for _, values := range params {
		for i, v := range values {
			values[i] = strings.Clone(v)
		}
	}
}

func (req *request) faultAttrs() map[string]string {
	attrs := map[string]string{"Service": "ec2", "Action": req.action, "Region": req.region}
	for k, v := range req.extra {
		attrs[k] = v
	}
	return attrs
}

// get returns a scalar parameter.
func (req *request) get(name string) string { return req.params.Get(name) }

// list returns prefix.1, prefix.2, ... in order.
func (req *request) list(prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := req.params[prefix+"."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// members returns the indexes N present under prefix.N.*, sorted.
func (req *request) members(prefix string) []string {
	seen := map[int]bool{}
	for k := range req.params {
		rest, ok := strings.CutPrefix(k, prefix+".")
		if !ok {
			continue
		}
		n, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(n); err == nil {
			seen[i] = true
		}
	}
	idx := make([]int, 0, len(seen))
	for i := range seen {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]string, len(idx))
	for i, n := range idx {
		out[i] = prefix + "." + strconv.Itoa(n)
	}
	return out
}

// intParam parses an optional integer parameter.
func (req *request) intParam(name string, def int) (int, error) {
	v := req.get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, invalidParameter(fmt.Sprintf("Value (%s) for parameter %s is invalid. Expected an integer.", v, name))
	}
	return n, nil
}

// tags reads prefix.N.Key / prefix.N.Value pairs.
func (req *request) tags(prefix string) map[string]string {
	out := map[string]string{}
	for _, m := range req.members(prefix) {
		if k := req.get(m + ".Key"); k != "" {
			out[k] = req.get(m + ".Value")
		}
	}
	return out
}
