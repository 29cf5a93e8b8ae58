package soak_test

import (
	"context"
	"testing"
	"time"

	"github.com/machine-conformance/machine-conformance/internal/soak"
	"github.com/machine-conformance/machine-conformance/providers"
	_ "github.com/machine-conformance/machine-conformance/providers/aws"
)

// TestTwoSeeds runs two seeds of the crash soak (make soak runs many):
// nothing may be lost although the controller is killed mid-flight.
func TestTwoSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane and kills controllers")
	}
	p, err := providers.Get("aws")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r, err := soak.Start(ctx, soak.Options{Provider: p, Settle: 45 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	for _, seed := range []uint64{7, 11} {
		res := r.Seed(ctx, seed)
		if res.Kills == 0 {
			t.Errorf("seed %d killed no controller (%s)", seed, res.Scenario)
		}
		if len(res.Problems) > 0 {
			t.Errorf("seed %d (%s): %v", seed, res.Scenario, res.Problems)
		}
	}
}
