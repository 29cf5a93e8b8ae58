package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/s3"
)

type config struct {
	ec2Addr, s3Addr string
	region          string
	core            core.Options
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("cloud-simulator", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.StringVar(&c.ec2Addr, "ec2-listen", "127.0.0.1:0", "EC2 listen address")
	fs.StringVar(&c.s3Addr, "s3-listen", "127.0.0.1:0", "S3 listen address")
	fs.StringVar(&c.region, "region", "us-east-1", "region requests must be signed for")
	fs.Int64Var(&c.core.Seed, "seed", 1, "seed for IDs, jitter and fault probabilities")
	fs.DurationVar(&c.core.Progression.PendingFor, "pending-for", 2*time.Second, "how long new instances stay pending")
	fs.DurationVar(&c.core.Progression.Jitter, "jitter", 0, "random extra pending time, up to this")
	fs.DurationVar(&c.core.Progression.ShuttingDownFor, "shutting-down-for", 5*time.Second, "how long terminated instances stay shutting-down")
	fs.DurationVar(&c.core.ReadLag, "read-lag", 0, "eventual consistency: new instances are invisible to reads this long")
	fs.IntVar(&c.core.Quota.MaxInstances, "max-instances", 0, "instance quota (0: none)")
	fs.IntVar(&c.core.Quota.MaxVCPUs, "max-vcpus", 0, "vCPU quota (0: none)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	return c, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	c, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	ec2Lis, err := net.Listen("tcp", c.ec2Addr)
	if err != nil {
		return fmt.Errorf("--ec2-listen %s: %w", c.ec2Addr, err)
	}
	s3Lis, err := net.Listen("tcp", c.s3Addr)
	if err != nil {
		ec2Lis.Close()
		return fmt.Errorf("--s3-listen %s: %w", c.s3Addr, err)
	}
	cloud := core.New(c.core)
	servers := []*http.Server{
		{Handler: ec2.NewUnstartedServer(ec2.Options{Cloud: cloud, Region: c.region}), ReadHeaderTimeout: 10 * time.Second},
		{Handler: s3.Handler(s3.Options{}), ReadHeaderTimeout: 10 * time.Second},
	}
	errs := make(chan error, 2)
	for i, lis := range []net.Listener{ec2Lis, s3Lis} {
		go func() { errs <- servers[i].Serve(lis) }()
	}
	ec2URL, s3URL := "http://"+ec2Lis.Addr().String(), "http://"+s3Lis.Addr().String()
	fmt.Fprintf(out, "# EC2 simulator: %s\n# S3 simulator:  %s (path-style)\n", ec2URL, s3URL)
	for _, kv := range [][2]string{
		{"AWS_ENDPOINT_URL_EC2", ec2URL}, {"AWS_ENDPOINT_URL_S3", s3URL}, {"AWS_REGION", c.region},
		{"AWS_ACCESS_KEY_ID", ec2.DefaultAccessKeyID}, {"AWS_SECRET_ACCESS_KEY", ec2.DefaultSecretAccessKey},
	} {
		fmt.Fprintf(out, "export %s=%s\n", kv[0], kv[1])
	}

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errs:
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		serveErr = errors.Join(serveErr, s.Shutdown(shutdown))
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return serveErr
}
