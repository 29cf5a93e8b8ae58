package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// processFlags are the NAME=VALUE flags set on one control-plane
// process's command line: bench-scale's defaults, each replaced by the
// values the user gives for the same NAME. It is a flag.Value.
type processFlags struct {
	values   map[string][]string
	fromUser map[string]bool
}

func newProcessFlags(defaults map[string][]string) *processFlags {
	values := map[string][]string{}
	maps.Copy(values, defaults)
	return &processFlags{values: values, fromUser: map[string]bool{}}
}

// Set takes one NAME=VALUE; a NAME given again adds a value.
func (f *processFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	name = strings.TrimPrefix(name, "--")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME=VALUE", v)
	}
	if !f.fromUser[name] {
		f.values[name], f.fromUser[name] = nil, true // the user's values replace the default
	}
	f.values[name] = append(f.values[name], value)
	return nil
}

// String is the flags as given on the command line, sorted by name.
func (f *processFlags) String() string {
	if f == nil {
		return ""
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(f.values)) {
		for _, v := range f.values[name] {
			out = append(out, "--"+name+"="+v)
		}
	}
	return strings.Join(out, " ")
}
