package openstack

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

const maxBody = 1 << 20

// link is an OpenStack hyperlink.
type link struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// Timestamp layouts the services use on the wire.
const (
	isoSeconds    = "2006-01-02T15:04:05Z"        // Nova created/updated, Neutron, Glance
	isoMicros     = "2006-01-02T15:04:05.000000"  // Nova launched_at, Cinder
	keystoneStamp = "2006-01-02T15:04:05.000000Z" // Keystone expires_at/issued_at
)

func stamp(t time.Time, layout string) string { return t.UTC().Format(layout) }

// writeJSON answers with v encoded as JSON; a nil v sends no body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	if v == nil {
		w.WriteHeader(status)
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"computeFault": {"code": 500, "message": "simulator could not encode its answer"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// readJSON decodes a request body of at most 1 MiB into v.
func readJSON(r *http.Request, v any) *apiError {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return errorf(http.StatusBadRequest, "BadRequest", "could not read the request body: %v", err)
	}
	if len(body) > maxBody {
		return errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "request body over 1 MiB")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errorf(http.StatusBadRequest, "MalformedRequestBody", "Malformed request body: %v", err)
	}
	return nil
}
