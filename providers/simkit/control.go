package simkit

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// ControlPrefix is where a simulator serves its control API, beside the
// cloud's own API on the same endpoint (no cloud API uses the path).
const ControlPrefix = "/_simulator/"

// The control API's requests and answers, as JSON.
type (
	// ChaosRequest asks for one chaos action on a VM.
	ChaosRequest struct {
		// Action is "duplicate", "vanish" or "kill".
		Action     string `json:"action"`
		ProviderID string `json:"providerID"`
	}
	// ChaosAnswer is the ProviderID of a duplicate ("" for other actions).
	ChaosAnswer struct {
		ProviderID string `json:"providerID,omitempty"`
	}
	// AliveAnswer is the oracle's word on one VM.
	AliveAnswer struct {
		Alive bool `json:"alive"`
		Known bool `json:"known"`
	}
	// FaultRequest injects a generic fault in the cloud's native form
	// (Fault and Count), or, with Rule set, a raw core fault rule
	// (operation, match, probability, skip, count, error, latency,
	// commit-then-fail).
	FaultRequest struct {
		Fault providers.Fault `json:"fault,omitempty"`
		Count int             `json:"count,omitempty"`
		Rule  *core.FaultRule `json:"rule,omitempty"`
	}
	// LagRequest sets the read lag; the answer holds the previous one.
	LagRequest struct {
		Lag Duration `json:"lag"`
	}
	// ControlError is every error answer.
	ControlError struct {
		Error string `json:"error"`
	}
)

// Duration is a time.Duration written as "1.5s" in JSON.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a duration is a string such as \"1.5s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ControlHandler serves the control API of s under ControlPrefix:
//
//	GET    env         the client environment (endpoints, region, keys)
//	GET    vms         the oracle's census: every VM ever, with its machine and liveness
//	GET    vms/live    ProviderIDs of the VMs pending or running
//	GET    alive?providerID=ID
//	POST   chaos       {"action":"duplicate|vanish|kill","providerID":ID}
//	POST   faults      {"fault":"throttle|capacity|quota|auth|lost-response","count":N} or {"rule":{...}}
//	DELETE faults      removes every fault
//	PUT    lag         {"lag":"2s"}: reads miss VMs younger than that
//	GET    events      the cloud's event log
//
// Any other path or method answers 404 or 405 naming it.
func (s *Simulator) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	p := ControlPrefix
	mux.HandleFunc("GET "+p+"env", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Env()) })
	mux.HandleFunc("GET "+p+"vms", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.Census()) })
	mux.HandleFunc("GET "+p+"vms/live", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, s.LiveVMs()) })
	mux.HandleFunc("GET "+p+"alive", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("providerID")
		if id == "" {
			writeJSON(w, http.StatusBadRequest, ControlError{Error: "alive: the providerID query parameter is required"})
			return
		}
		alive, known := s.Alive(id)
		writeJSON(w, http.StatusOK, AliveAnswer{Alive: alive, Known: known})
	})
	mux.HandleFunc("POST "+p+"chaos", s.serveChaos)
	mux.HandleFunc("POST "+p+"faults", s.serveFault)
	mux.HandleFunc("DELETE "+p+"faults", func(w http.ResponseWriter, _ *http.Request) {
		s.opts.Cloud.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("PUT "+p+"lag", func(w http.ResponseWriter, r *http.Request) {
		var req LagRequest
		if !readJSON(w, r, &req) {
			return
		}
		prev := s.opts.Cloud.SetReadLag(time.Duration(req.Lag))
		writeJSON(w, http.StatusOK, LagRequest{Lag: Duration(prev)})
	})
	mux.HandleFunc("GET "+p+"events", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.opts.Cloud.Events())
	})
	mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, ControlError{Error: fmt.Sprintf("the simulator's control API has no %s %s", r.Method, r.URL.Path)})
	})
	return mux
}

func (s *Simulator) serveChaos(w http.ResponseWriter, r *http.Request) {
	var req ChaosRequest
	if !readJSON(w, r, &req) {
		return
	}
	var answer ChaosAnswer
	var err error
	switch req.Action {
	case "duplicate":
		answer.ProviderID, err = s.Duplicate(req.ProviderID)
	case "vanish":
		err = s.Vanish(req.ProviderID)
	case "kill":
		err = s.Kill(req.ProviderID)
	default:
		err = fmt.Errorf("chaos: action %q is none of duplicate, vanish, kill", req.Action)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, ControlError{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, answer)
}

func (s *Simulator) serveFault(w http.ResponseWriter, r *http.Request) {
	var req FaultRequest
	if !readJSON(w, r, &req) {
		return
	}
	switch {
	case req.Rule != nil && req.Fault != "":
		writeJSON(w, http.StatusBadRequest, ControlError{Error: "faults: give either fault or rule, not both"})
	case req.Rule != nil:
		if req.Rule.Operation == "" {
			writeJSON(w, http.StatusBadRequest, ControlError{Error: `faults: rule.operation is required (an API action, or "*")`})
			return
		}
		s.opts.Cloud.AddFault(*req.Rule)
		w.WriteHeader(http.StatusNoContent)
	default:
		if _, ok := s.opts.Codec.Fault(req.Fault); !ok {
			writeJSON(w, http.StatusBadRequest, ControlError{Error: fmt.Sprintf("faults: fault %q is none this cloud produces (throttle, capacity, quota, auth, lost-response)", req.Fault)})
			return
		}
		s.Fail(req.Fault, req.Count)
		w.WriteHeader(http.StatusNoContent)
	}
}

// readJSON decodes the body into v, refusing unknown fields; on failure
// it answers 400 and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, ControlError{Error: fmt.Sprintf("%s %s: the body is not valid JSON for this call: %v", r.Method, r.URL.Path, err)})
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// WithControl serves the control API under ControlPrefix and everything
// else with cloud, so one endpoint carries both.
func (s *Simulator) WithControl(cloud http.Handler) http.Handler {
	control := s.ControlHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, ControlPrefix) {
			control.ServeHTTP(w, r)
			return
		}
		cloud.ServeHTTP(w, r)
	})
}

// errRemote marks an error the control API answered.
var errRemote = errors.New("simulator control API")

// remoteError turns a non-2xx answer into an error naming the call.
func remoteError(call string, resp *http.Response) error {
	var e ControlError
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if e.Error == "" {
		e.Error = "HTTP " + strconv.Itoa(resp.StatusCode)
	}
	return fmt.Errorf("%w: %s: %s", errRemote, call, e.Error)
}
