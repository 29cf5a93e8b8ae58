package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/machine-conformance/machine-conformance/providers/simkit"
)

// TestServesAndShutsDown starts the command, reads the environment it
// prints, drives EC2 through the SDK with exactly that, and stops it.
func TestServesAndShutsDown(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--pending-for=0s"}, pw); pw.Close() }()

	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(env) < 5 && sc.Scan() {
		if kv, ok := strings.CutPrefix(sc.Text(), "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	for _, k := range []string{"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		if env[k] == "" {
			t.Fatalf("%s not printed; got %v", k, env)
		}
	}
	client := ec2.New(ec2.Options{Region: env["AWS_REGION"], BaseEndpoint: aws.String(env["AWS_ENDPOINT_URL_EC2"]),
		Credentials: credentials.NewStaticCredentialsProvider(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], "")})
	if _, err := client.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
		t.Fatalf("DescribeInstances with the printed environment: %v", err)
	}
	// The EC2 endpoint serves the control API too, with the same environment.
	remote, err := simkit.Dial(ctx, env["AWS_ENDPOINT_URL_EC2"])
	if err != nil {
		t.Fatalf("the control API on the EC2 endpoint: %v", err)
	}
	if got := remote.Env()["AWS_ENDPOINT_URL_EC2"]; got != env["AWS_ENDPOINT_URL_EC2"] {
		t.Errorf("the control API reports endpoint %q, the banner %q", got, env["AWS_ENDPOINT_URL_EC2"])
	}
	if census := remote.Census(); len(census) != 0 {
		t.Errorf("a fresh simulator's census over the control API: %+v", census)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the simulator did not stop")
	}
}

func TestRejectsBadFlags(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"--ec2-listen=256.0.0.1:1"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--ec2-listen") {
		t.Fatalf("got %v", err)
	}
	if code := report(err, io.Discard); code != 1 {
		t.Errorf("a listener that cannot open exits %d, want 1", code)
	}
}

// TestControlListenAndAdvertiseHost serves one cloud's control API on its
// own listener and advertises every endpoint on another host name, as a
// simulator in a pod on the node's network does.
func TestControlListenAndAdvertiseHost(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--cloud=aws", "--pending-for=0s", "--ec2-listen=127.0.0.1:0",
			"--control-listen=127.0.0.1:0", "--advertise-host=localhost"}, pw)
		pw.Close()
	}()
	control := ""
	sc := bufio.NewScanner(pr)
	for control == "" && sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "# control API alone: "); ok {
			control = strings.TrimSuffix(strings.Fields(rest)[0], simkit.ControlPrefix)
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	if !strings.HasPrefix(control, "http://localhost:") {
		t.Fatalf("control API alone at %q, want it advertised on http://localhost:PORT", control)
	}
	remote, err := simkit.Dial(ctx, control)
	if err != nil {
		t.Fatalf("the control API alone: %v", err)
	}
	if got := remote.Env()["AWS_ENDPOINT_URL_EC2"]; !strings.HasPrefix(got, "http://localhost:") || got == control {
		t.Errorf("the control API reports the EC2 endpoint %q, want it on the advertised host and a port of its own", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestControlListenNeedsOneCloud(t *testing.T) {
	t.Parallel()
	_, err := parseFlags([]string{"--control-listen=127.0.0.1:0"})
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "--cloud=aws") {
		t.Fatalf("--control-listen without --cloud: %v, want a usage error naming --cloud", err)
	}
}
