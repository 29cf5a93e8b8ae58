// Package benchkit holds the comparison every simulator's benchmarks make:
// the same SDK client drives the simulator and a bare handler that replays
// the simulator's recorded replies, so the SDK's own cost is the same on
// both sides and the ratio shows what the simulator adds. hack/bench.sh
// reads the "<size>/bare" and "<size>/simulator" pairs it names.
package benchkit

import (
	"fmt"
	"testing"
)

// Pair is a simulator holding some VMs and the bare handler replaying it.
type Pair[C any] struct {
	SimulatorURL, BareURL string
	// Client is the SDK client pointed at url.
	Client func(b *testing.B, url string) C
	// Close stops both servers.
	Close func()
}

// Compare runs, for each size n, call against the bare handler and the
// simulator of setup(n), as sub-benchmarks "<label>=<n>/bare" and
// "<label>=<n>/simulator", four goroutines per CPU.
func Compare[C any](b *testing.B, label string, sizes []int, setup func(b *testing.B, n int) Pair[C],
	call func(c C, i, n int, simulator bool) error) {
	for _, n := range sizes {
		p := setup(b, n)
		for _, target := range []struct{ name, url string }{{"bare", p.BareURL}, {"simulator", p.SimulatorURL}} {
			b.Run(fmt.Sprintf("%s=%d/%s", label, n, target.name), func(b *testing.B) {
				client := p.Client(b, target.url)
				b.SetParallelism(4)
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for i := 0; pb.Next(); i++ {
						if err := call(client, i, n, target.name == "simulator"); err != nil {
							b.Fatal(err)
						}
					}
				})
			})
		}
		p.Close()
	}
}
