// Command soak kills and restarts the reference controller at seeded random
// points while a MachineSet grows and shrinks under injected cloud faults,
// and checks with the simulator's oracle that nothing was lost:
//
//	soak --seeds=100            # seeds 1..100
//	soak --seed=42              # replay one seed
//
// It prints one line per seed and a final "N seeds, M failures" line, and
// exits non-zero when a seed failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/internal/soak"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/all"
)

func main() {
	seeds := flag.Int("seeds", 10, "number of seeds to run, from --first")
	first := flag.Uint64("first", 1, "first seed")
	one := flag.Uint64("seed", 0, "run only this seed (replay)")
	provider := flag.String("provider", "aws", "provider whose simulator and driver to use")
	settle := flag.Duration("settle", 60*time.Second, "longest wait for the controller to converge")
	flag.Parse()
	if *one != 0 {
		*first, *seeds = *one, 1
	}
	p, err := providers.Get(*provider)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	start := time.Now()
	r, err := soak.Start(ctx, soak.Options{Provider: p, Settle: *settle})
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	failures := 0
	for seed := *first; seed < *first+uint64(*seeds); seed++ {
		res := r.Seed(ctx, seed)
		verdict := "ok  "
		if len(res.Problems) > 0 {
			verdict, failures = "FAIL", failures+1
		}
		fmt.Printf("soak: seed %d %s (%s; %d kills) in %s\n", seed, verdict, res.Scenario, res.Kills, res.Took.Round(time.Millisecond))
		if len(res.Problems) > 0 {
			fmt.Printf("    %s\n    replay: make soak SEED=%d\n", strings.Join(res.Problems, "\n    "), seed)
		}
	}
	if err := r.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "soak: stopping:", err)
	}
	fmt.Printf("soak: %d seeds, %d failures in %s\n", *seeds, failures, time.Since(start).Round(time.Second))
	if failures > 0 {
		os.Exit(1)
	}
}
