package openstack

import (
	"net/http"
	"strconv"
	"strings"
)

// The compute microversions the simulator accepts. It serves every one of
// them with the 2.1 body, except where a handler looks at c.micro.
const (
	minMicroversion = "2.1"
	maxMicroversion = "2.96"
	maxMicroMinor   = 96
)

// negotiateMicroversion reads the compute microversion a request asks for
// (OpenStack-API-Version: compute 2.x, or the older X-OpenStack-Nova-API-Version)
// and echoes it in the answer's headers, as Nova does.
func negotiateMicroversion(w http.ResponseWriter, r *http.Request) (int, *apiError) {
	v := r.Header.Get("X-OpenStack-Nova-API-Version")
	if h, ok := strings.CutPrefix(r.Header.Get("OpenStack-API-Version"), "compute "); ok {
		v = strings.TrimSpace(h)
	}
	minor := 1
	switch v {
	case "":
	case "latest":
		minor = maxMicroMinor
	default:
		major, m, ok := strings.Cut(v, ".")
		n, err := strconv.Atoi(m)
		if !ok || major != "2" || err != nil || n < 1 || n > maxMicroMinor {
			return 0, errorf(http.StatusNotAcceptable, "VersionNotAcceptable",
				"Version %s is not supported by the API. Minimum is %s and maximum is %s.", v, minMicroversion, maxMicroversion)
		}
		minor = n
	}
	h := w.Header()
	h.Set("OpenStack-API-Version", "compute 2."+strconv.Itoa(minor))
	h.Set("X-OpenStack-Nova-API-Version", "2."+strconv.Itoa(minor))
	h.Set("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version")
	return minor, nil
}
