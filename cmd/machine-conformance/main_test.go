package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string // "" for success
	}{
		{"own and ginkgo flags", []string{"--provider=aws", "--timeout=5s", "--ginkgo.label-filter=driver"}, ""},
		{"a flag other packages register", []string{"--test.v"}, "flag provided but not defined: -test.v"},
		{"a stray argument", []string{"--provider=aws", "extra"}, `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, &bytes.Buffer{})
			if tc.wantErr == "" {
				if err != nil || o.provider != "aws" || o.timeout.Seconds() != 5 {
					t.Fatalf("%+v, %v", o, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("want an error saying %q, got %v", tc.wantErr, err)
			}
		})
	}
}

// TestHelpShowsOurFlagsFirst: --help lists the command's flags with
// examples, then Ginkgo's under their own heading, and no flag it ignores.
func TestHelpShowsOurFlagsFirst(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseFlags([]string{"--help"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	help := out.String()
	examples, own, ginkgo := strings.Index(help, "Examples:"), strings.Index(help, "--provider string"), strings.Index(help, "Ginkgo flags")
	if examples < 0 || own < 0 || ginkgo < 0 || !(examples < own && own < ginkgo) {
		t.Fatalf("want examples, then our flags, then Ginkgo's:\n%s", help)
	}
	if !strings.Contains(help[ginkgo:], "--ginkgo.label-filter") {
		t.Error("Ginkgo's label filter is not listed")
	}
	for _, absent := range []string{"[DEPRECATED]", "test.v"} {
		if strings.Contains(help, absent) {
			t.Errorf("help mentions %q", absent)
		}
	}
}
