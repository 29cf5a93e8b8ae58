package main

import "testing"

func TestProcessFlags(t *testing.T) {
	t.Parallel()
	ab := map[string][]string{"a": {"1"}, "b": {"2"}}
	for _, tc := range []struct {
		name     string
		defaults map[string][]string
		set      []string
		want     string
		wantErr  bool
	}{
		{name: "defaults", defaults: ab, want: "--a=1 --b=2"},
		{name: "no defaults", defaults: nil, set: []string{"c=1"}, want: "--c=1"},
		{name: "user replaces a default", defaults: ab, set: []string{"a=3"}, want: "--a=3 --b=2"},
		{name: "a name given twice adds a value", defaults: ab, set: []string{"a=3", "a=4"}, want: "--a=3 --a=4 --b=2"},
		{name: "new flag, leading dashes dropped", defaults: ab, set: []string{"--c=x=y"}, want: "--a=1 --b=2 --c=x=y"},
		{name: "empty value", defaults: ab, set: []string{"b="}, want: "--a=1 --b="},
		{name: "no value", defaults: ab, set: []string{"a"}, wantErr: true},
		{name: "no name", defaults: ab, set: []string{"=1"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) { // not parallel: the cases share ab, checked after all
			f := newProcessFlags(tc.defaults)
			var err error
			for _, v := range tc.set {
				if err = f.Set(v); err != nil {
					break
				}
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("Set(%q): error %v, want error: %v", tc.set, err, tc.wantErr)
			}
			if !tc.wantErr && f.String() != tc.want {
				t.Errorf("after Set(%q): %q, want %q", tc.set, f.String(), tc.want)
			}
		})
	}
	if ab["a"][0] != "1" || len(ab["a"]) != 1 {
		t.Errorf("Set changed the defaults it was given: %v", ab)
	}
}
