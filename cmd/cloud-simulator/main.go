// Command cloud-simulator serves the EC2 and S3 simulators on loopback so
// that any driver or tool built on the AWS SDKs can point at them:
//
//	cloud-simulator --pending-for=5s > sim.env &
//	source sim.env      # the export lines; comments start with #
//
// It prints the endpoints and the environment (AWS_ENDPOINT_URL_EC2,
// AWS_ENDPOINT_URL_S3, region and keys), then serves until SIGINT or
// SIGTERM and shuts down cleanly.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cloud-simulator:", err)
		os.Exit(1)
	}
}
