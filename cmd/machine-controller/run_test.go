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
		{"ok", []string{"--provider=x", "--namespace=ns", "--creation-timeout=1m"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseFlags(tc.args, io.Discard)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if c.opts.CreationTimeout != time.Minute || c.opts.Namespace != "ns" {
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
