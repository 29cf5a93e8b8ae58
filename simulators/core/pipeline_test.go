package core

import (
	"errors"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
)

func TestDoRunsTheFaultPipeline(t *testing.T) {
	t.Parallel()
	fail := &FaultError{Code: "Boom", Status: 500}
	actErr := errors.New("the action's own failure")
	tests := []struct {
		name     string
		rule     *FaultRule
		absorb   bool
		actErr   error
		wantActs int
		wantErr  error
	}{
		{name: "no rule acts and answers", wantActs: 1},
		{name: "an error rule answers instead of acting", rule: &FaultRule{Operation: "Op", Error: fail}, wantErr: fail},
		{name: "commit-then-fail acts and loses the answer", rule: &FaultRule{Operation: "Op", Error: fail, CommitThenFail: true}, wantActs: 1, wantErr: fail},
		{name: "commit-then-fail keeps the action's own error", rule: &FaultRule{Operation: "Op", Error: fail, CommitThenFail: true},
			actErr: actErr, wantActs: 1, wantErr: actErr},
		{name: "an absorbed fault acts and answers", rule: &FaultRule{Operation: "Op", Error: fail}, absorb: true, wantActs: 1},
		{name: "a rule of another operation does nothing", rule: &FaultRule{Operation: "Other", Error: fail}, wantActs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New(Options{})
			if tt.rule != nil {
				c.AddFault(*tt.rule)
			}
			acts := 0
			call := Call{Operation: "Op"}
			if tt.absorb {
				call.Absorb = func(f *FaultError) bool { return f.Code == "Boom" }
			}
			got, err := Do(c, call, func() (string, error) { acts++; return "answer", tt.actErr })
			if acts != tt.wantActs || !sameError(err, tt.wantErr) {
				t.Fatalf("acted %d times, err %v; want %d and %v", acts, err, tt.wantActs, tt.wantErr)
			}
			if err == nil && got != "answer" {
				t.Fatalf("answer %q", got)
			}
		})
	}
}

// sameError matches an injected fault by code (the rule fills in its
// name), any other error by identity.
func sameError(got, want error) bool {
	var g, w *FaultError
	if errors.As(want, &w) {
		return errors.As(got, &g) && g.Code == w.Code
	}
	return errors.Is(got, want)
}

func TestDoWaitsInjectedLatencyOnTheCloudsClock(t *testing.T) {
	t.Parallel()
	start := time.Now()
	clk := clocktesting.NewFakeClock(start) // its Sleep steps it
	c := New(Options{Clock: clk})
	c.AddFault(FaultRule{Operation: "*", Latency: time.Minute})
	if _, err := Do(c, Call{Operation: "Op"}, func() (int, error) { return 0, nil }); err != nil {
		t.Fatal(err)
	}
	if waited := clk.Since(start); waited != time.Minute {
		t.Fatalf("the call waited %s on the cloud's clock; want the injected minute", waited)
	}
}
