package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/config/clouds"

	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

// startCommand runs the command with args until the test ends and returns
// the variables it exported, once it printed want of them.
func startCommand(t *testing.T, want int, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, pw); pw.Close() }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("shutdown: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the simulator did not stop")
		}
	})
	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(env) < want && sc.Scan() {
		if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return env
}

// An OpenStack client logs in with exactly what the command prints, or
// with the clouds.yaml it writes, and lists servers through the catalog.
func TestServesOpenStackWithItsClientEnvironment(t *testing.T) {
	t.Parallel()
	cloudsFile := filepath.Join(t.TempDir(), "clouds.yaml")
	env := startCommand(t, 6+8, "--pending-for=0s", "--clouds-yaml="+cloudsFile)
	for _, k := range []string{"AWS_ENDPOINT_URL_EC2", "OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME",
		"OS_USER_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME", "OS_REGION_NAME", "OS_IDENTITY_API_VERSION"} {
		if env[k] == "" {
			t.Fatalf("%s not printed; got %v", k, env)
		}
	}
	ctx := context.Background()
	fromEnv := gophercloud.AuthOptions{IdentityEndpoint: env["OS_AUTH_URL"], Username: env["OS_USERNAME"],
		Password: env["OS_PASSWORD"], DomainName: env["OS_USER_DOMAIN_NAME"],
		Scope: &gophercloud.AuthScope{ProjectName: env["OS_PROJECT_NAME"], DomainName: env["OS_PROJECT_DOMAIN_NAME"]}}
	fromFile, endpoint, _, err := clouds.Parse(clouds.WithLocations(cloudsFile), clouds.WithCloudName(cloudName))
	if err != nil {
		t.Fatalf("gophercloud reading the written clouds.yaml: %v", err)
	}
	if endpoint.Region != env["OS_REGION_NAME"] {
		t.Errorf("clouds.yaml region %q, printed %q", endpoint.Region, env["OS_REGION_NAME"])
	}
	for name, opts := range map[string]gophercloud.AuthOptions{"the printed OS_ variables": fromEnv, "clouds.yaml": fromFile} {
		provider, err := openstack.AuthenticatedClient(ctx, opts)
		if err != nil {
			t.Fatalf("logging in with %s: %v", name, err)
		}
		compute, err := openstack.NewComputeV2(provider, gophercloud.EndpointOpts{Region: env["OS_REGION_NAME"]})
		if err != nil {
			t.Fatalf("the compute endpoint from the catalog, logged in with %s: %v", name, err)
		}
		pages, err := servers.List(compute, servers.ListOpts{}).AllPages(ctx)
		if err != nil {
			t.Fatalf("listing servers, logged in with %s: %v", name, err)
		}
		if list, _ := servers.ExtractServers(pages); len(list) != 0 {
			t.Errorf("a fresh simulator has servers: %+v", list)
		}
	}
	// Its endpoint serves the control API too, on a core of its own.
	root := strings.TrimSuffix(env["OS_AUTH_URL"], "/v3")
	remote, err := simkit.Dial(ctx, root)
	if err != nil {
		t.Fatalf("the control API on the OpenStack endpoint: %v", err)
	}
	if got := remote.Env()["OS_AUTH_URL"]; got != env["OS_AUTH_URL"] {
		t.Errorf("the control API reports OS_AUTH_URL %q, the banner %q", got, env["OS_AUTH_URL"])
	}
}

func TestCloudFlag(t *testing.T) {
	t.Parallel()
	awsOnly := startCommand(t, 6, "--cloud=aws")
	if awsOnly["AWS_ENDPOINT_URL_EC2"] == "" {
		t.Fatalf("--cloud=aws printed %v", awsOnly)
	}
	osOnly := startCommand(t, 8, "--cloud=openstack")
	if osOnly["OS_AUTH_URL"] == "" || osOnly["AWS_ENDPOINT_URL_EC2"] != "" {
		t.Fatalf("--cloud=openstack printed %v", osOnly)
	}
	for _, args := range [][]string{{"--cloud=gce"}, {"--cloud=aws", "--clouds-yaml=x.yaml"}} {
		err := run(context.Background(), args, io.Discard)
		var usage *usageError
		if !errors.As(err, &usage) || report(err, io.Discard) != 2 {
			t.Errorf("%v: %v; want a usage error (exit 2)", args, err)
		}
	}
}
