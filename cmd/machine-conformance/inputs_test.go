package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadEnvFile(t *testing.T) {
	t.Parallel()
	env, err := readEnvFile(write(t, "ok.env", "# comment\nexport A=1\n\nB = \"two\"\n"))
	if err != nil || env["A"] != "1" || env["B"] != "two" {
		t.Fatalf("%v, %v", env, err)
	}
	p := write(t, "bad.env", "A=1\nnot a pair\n")
	if _, err := readEnvFile(p); err == nil || !strings.Contains(err.Error(), p+":2:") {
		t.Fatalf("want an error naming %s:2, got %v", p, err)
	}
}

func TestReadSpecAndSecretFiles(t *testing.T) {
	t.Parallel()
	spec, err := readSpecFile(write(t, "spec.yaml", "ami: ami-1\ntags: {a: b}\n"))
	if err != nil || string(spec) != `{"ami":"ami-1","tags":{"a":"b"}}` {
		t.Fatalf("%s, %v", spec, err)
	}
	if _, err := readSpecFile(write(t, "empty.yaml", "")); err == nil {
		t.Fatal("an empty providerSpec was accepted")
	}
	sec, err := readSecretFile(write(t, "secret.yaml", "providerAccessKeyId: AKIA\nuserData: \"#!\"\n"))
	if err != nil || string(sec["providerAccessKeyId"]) != "AKIA" {
		t.Fatalf("%v, %v", sec, err)
	}
	p := write(t, "nested.yaml", "a: {b: c}\n")
	if _, err := readSecretFile(p); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("want an error naming %s, got %v", p, err)
	}
}
