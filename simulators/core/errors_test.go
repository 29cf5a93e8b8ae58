package core

import "testing"

func TestFaultErrorWithDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   FaultError
		want FaultError
	}{
		{FaultError{Code: "Throttled", Rule: "r1"}, FaultError{Code: "Throttled", Rule: "r1", Status: 503, Message: "injected by fault rule r1"}},
		{FaultError{Code: "X", Status: 429, Message: "slow down", Rule: "r2"}, FaultError{Code: "X", Status: 429, Message: "slow down", Rule: "r2"}},
	}
	for _, tt := range tests {
		if got := tt.in.WithDefaults(503); got != tt.want {
			t.Errorf("%+v.WithDefaults(503) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
