package openstack_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/internal/benchkit"
	sim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// The benchmarks compare the simulator with a bare net/http handler, both
// driven through gophercloud in the same process. The bare handler
// replays, byte for byte, the reply the simulator gave to the same kind of
// call, so gophercloud's own cost (the HTTP round trip and its two-pass
// JSON decoding) is the same on both sides and the ratio shows what the
// simulator adds: routing, token check, fault rules, the inventory and
// encoding. Goal: at least half the bare handler's throughput, with 100
// and with 10,000 servers.

type recorded struct {
	status int
	header http.Header
	body   []byte
}

// recorder captures the simulator's last reply per method and path.
type recorder struct {
	next    http.Handler
	mu      sync.Mutex
	replies map[string]recorded
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rec := httptest.NewRecorder()
	r.next.ServeHTTP(rec, req)
	r.mu.Lock()
	r.replies[req.Method+" "+req.URL.Path] = recorded{rec.Code, rec.Header().Clone(), bytes.Clone(rec.Body.Bytes())}
	r.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// bareServer replays recorded replies, looking at nothing but the method and path.
func bareServer(replies map[string]recorded) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		rep, ok := replies[r.Method+" "+r.URL.Path]
		if !ok {
			http.Error(w, "nothing recorded for "+r.Method+" "+r.URL.Path, http.StatusNotImplemented)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body)
	}))
}

// benchClient is a compute client authenticated against srv and sent to url.
func benchClient(b *testing.B, srv *sim.Server, url string) *gophercloud.ServiceClient {
	pc, err := openstack.AuthenticatedClient(ctx, passwordAuth(srv))
	if err != nil {
		b.Fatal(err)
	}
	c, err := openstack.NewComputeV2(pc, gophercloud.EndpointOpts{})
	if err != nil {
		b.Fatal(err)
	}
	c.Endpoint = url + "/compute/v2.1/"
	return c
}

func machineName(i int) string { return fmt.Sprintf("m-%05d", i) }

// populated returns a simulator holding n running servers of cluster
// "bench", named m-00000 ..., and a bare server replaying its replies.
func populated(b *testing.B, n int) (*sim.Server, *httptest.Server) {
	srv := sim.NewServer(sim.Options{Cloud: core.New(core.Options{})})
	for i := 0; i < n; i++ {
		srv.Inject(core.LaunchSpec{Tags: clusterMetadata("bench"), Attrs: map[string]string{sim.AttrName: machineName(i)},
			Owner: core.Owner{Kind: core.Managed, Cluster: "bench", Machine: machineName(i)}})
	}
	rec := &recorder{next: srv, replies: map[string]recorded{}}
	recording := httptest.NewServer(rec)
	defer recording.Close()
	c := benchClient(b, srv, recording.URL)
	if _, err := servers.List(c, servers.ListOpts{Name: machineName(0)}).AllPages(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := servers.Create(ctx, c, createOpts("bench"), nil).Extract(); err != nil {
		b.Fatal(err)
	}
	return srv, bareServer(rec.replies)
}

// benchBoth compares the simulator with its bare replay, with 100 and
// 10,000 servers.
func benchBoth(b *testing.B, call func(c *gophercloud.ServiceClient, i, n int, simulator bool) error) {
	benchkit.Compare(b, "servers", []int{100, 10000}, func(b *testing.B, n int) benchkit.Pair[*gophercloud.ServiceClient] {
		srv, bare := populated(b, n)
		return benchkit.Pair[*gophercloud.ServiceClient]{SimulatorURL: srv.URL, BareURL: bare.URL,
			Client: func(b *testing.B, url string) *gophercloud.ServiceClient { return benchClient(b, srv, url) },
			Close:  func() { srv.Close(); bare.Close() }}
	}, call)
}

// BenchmarkListServers looks one machine up by name, as MCM's driver does
// in GetMachineStatus and DeleteMachine.
func BenchmarkListServers(b *testing.B) {
	benchBoth(b, func(c *gophercloud.ServiceClient, i, n int, simulator bool) error {
		pages, err := servers.List(c, servers.ListOpts{Name: machineName(i % n)}).AllPages(ctx)
		if err != nil {
			return err
		}
		found, err := servers.ExtractServers(pages)
		if err == nil && simulator && len(found) != 1 {
			err = fmt.Errorf("found %d servers named %s", len(found), machineName(i%n))
		}
		return err
	})
}

// BenchmarkCreateServer creates one server with cluster metadata per call.
func BenchmarkCreateServer(b *testing.B) {
	benchBoth(b, func(c *gophercloud.ServiceClient, _, _ int, _ bool) error {
		_, err := servers.Create(ctx, c, createOpts("bench"), nil).Extract()
		return err
	})
}
