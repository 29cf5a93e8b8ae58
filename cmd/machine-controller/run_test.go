package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no provider", nil, "--provider is required"},
		{"leader election without namespace", []string{"--provider=x", "--leader-elect"}, "--leader-elect needs --namespace"},
		{"bad duration", []string{"--provider=x", "--health-timeout=soon"}, "invalid value"},
		{"no workers", []string{"--provider=x", "--workers=0"}, "--workers must be at least 1"},
		{"zero qps", []string{"--provider=x", "--kube-api-qps=0"}, "--kube-api-qps (0) and --kube-api-burst (400) must be positive"},
		{"ok", []string{"--provider=x", "--namespace=ns", "--creation-timeout=1m", "--workers=3", "--kube-api-qps=50"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseFlags(tc.args, io.Discard)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.opts.CreationTimeout != time.Minute || c.opts.Namespace != "ns" || c.opts.Workers != 3 || c.kubeAPIQPS != 50 || c.kubeAPIBurst != defaultKubeAPIBurst {
					t.Errorf("options not bound: %+v", c.opts)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
