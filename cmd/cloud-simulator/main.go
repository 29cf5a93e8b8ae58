// Command cloud-simulator serves every cloud simulator on loopback (or the
// one --cloud names): EC2, S3 and STS for tools built on the AWS SDKs, and
// OpenStack (Keystone, Nova, Neutron, Cinder, Glance) for those built on
// gophercloud or the openstack CLI:
//
//	cloud-simulator --world=world.yaml --pending-for=5s --clouds-yaml=clouds.yaml > sim.env &
//	source sim.env      # the export lines; comments start with #
//
// It prints the endpoints, a summary of the AWS world it serves (all of it
// as YAML with --print-world) and each cloud's standard client environment
// (AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL_S3, region, keys and
// AWS_ENDPOINT_URL_STS; then OS_AUTH_URL, user, password, project, domains,
// region and identity API version), optionally writes a clouds.yaml, then
// serves until SIGINT or SIGTERM and shuts down cleanly. Every endpoint of
// a cloud's API also serves the simulator's control API under
// /_simulator/. A bad flag or world file exits 2, its errors naming the
// file and line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	os.Exit(report(err, os.Stderr))
}

// report prints err and returns the exit code: 0 without an error, 2 for a
// bad flag or world file (whose errors are "file:line: ..." lines already),
// 1 otherwise.
func report(err error, stderr io.Writer) int {
	var usage *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintln(stderr, "cloud-simulator:", err)
	return 1
}
