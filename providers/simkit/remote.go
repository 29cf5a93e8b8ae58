package simkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/providers"
)

// Remote steers a simulator in another process (or in a cluster) through
// its control API. It implements providers.Simulator, providers.Chaos and
// providers.Oracle like an in-process Simulator; node joining stays with
// the simulator's own process. Chaos methods cannot return errors of the
// transport: Fail, LiveVMs, Lag and Alive report them through OnError.
type Remote struct {
	base   string
	client *http.Client
	env    map[string]string
	// OnError receives transport and API errors of the methods whose
	// signatures have no error; nil panics, so a lost control call never
	// passes unnoticed.
	OnError func(error)
}

var (
	_ providers.Simulator = (*Remote)(nil)
	_ providers.Chaos     = (*Remote)(nil)
	_ providers.Oracle    = (*Remote)(nil)
)

// Dial connects to the simulator serving its control API at endpoint (the
// cloud's endpoint, which carries ControlPrefix too) and reads its client
// environment.
func Dial(ctx context.Context, endpoint string) (*Remote, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("simulator endpoint %q is not an absolute URL (e.g. http://127.0.0.1:8080)", endpoint)
	}
	r := &Remote{base: strings.TrimSuffix(endpoint, "/"), client: &http.Client{Timeout: 30 * time.Second}}
	if err := r.call(ctx, http.MethodGet, "env", nil, &r.env); err != nil {
		return nil, fmt.Errorf("reaching the simulator at %s: %w", endpoint, err)
	}
	return r, nil
}

func (r *Remote) call(ctx context.Context, method, path string, body, answer any) error {
	var in bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&in).Encode(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, r.base+ControlPrefix+path, &in)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", errRemote, method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return remoteError(method+" "+path, resp)
	}
	if answer == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(answer); err != nil {
		return fmt.Errorf("%w: %s %s: undecodable answer: %w", errRemote, method, path, err)
	}
	return nil
}

// report hands an error of a method without an error result to OnError.
func (r *Remote) report(err error) {
	if err == nil {
		return
	}
	if r.OnError == nil {
		panic(err)
	}
	r.OnError(err)
}

// Env implements providers.Simulator: the environment read at Dial.
func (r *Remote) Env() map[string]string {
	env := make(map[string]string, len(r.env))
	for k, v := range r.env {
		env[k] = v
	}
	return env
}

// Close implements providers.Simulator; the remote simulator keeps running.
func (r *Remote) Close() error { return nil }

func (r *Remote) chaos(action, providerID string) (string, error) {
	var a ChaosAnswer
	err := r.call(context.Background(), http.MethodPost, "chaos", ChaosRequest{Action: action, ProviderID: providerID}, &a)
	return a.ProviderID, err
}

// Duplicate implements providers.Chaos.
func (r *Remote) Duplicate(providerID string) (string, error) {
	return r.chaos("duplicate", providerID)
}

// Vanish implements providers.Chaos.
func (r *Remote) Vanish(providerID string) error { _, err := r.chaos("vanish", providerID); return err }

// Kill implements providers.Chaos.
func (r *Remote) Kill(providerID string) error { _, err := r.chaos("kill", providerID); return err }

// Alive implements providers.Chaos.
func (r *Remote) Alive(providerID string) (alive, known bool) {
	var a AliveAnswer
	r.report(r.call(context.Background(), http.MethodGet, "alive?providerID="+url.QueryEscape(providerID), nil, &a))
	return a.Alive, a.Known
}

// Fail implements providers.Chaos; the function it returns removes every
// fault of the remote cloud, as the in-process one does.
func (r *Remote) Fail(f providers.Fault, count int) func() {
	r.report(r.call(context.Background(), http.MethodPost, "faults", FaultRequest{Fault: f, Count: count}, nil))
	return func() { r.report(r.call(context.Background(), http.MethodDelete, "faults", nil, nil)) }
}

// LiveVMs implements providers.Chaos.
func (r *Remote) LiveVMs() []string {
	var ids []string
	r.report(r.call(context.Background(), http.MethodGet, "vms/live", nil, &ids))
	return ids
}

// Lag implements providers.Chaos.
func (r *Remote) Lag(d time.Duration) func() {
	var prev LagRequest
	r.report(r.call(context.Background(), http.MethodPut, "lag", LagRequest{Lag: Duration(d)}, &prev))
	return func() { r.report(r.call(context.Background(), http.MethodPut, "lag", prev, nil)) }
}

// Census implements providers.Oracle.
func (r *Remote) Census() []providers.VMRecord {
	var out []providers.VMRecord
	r.report(r.call(context.Background(), http.MethodGet, "vms", nil, &out))
	return out
}
