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
	"strconv"
	"time"

	"github.com/machine-conformance/machine-conformance/providers/aws"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
	"github.com/machine-conformance/machine-conformance/simulators/awsauth"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/s3"
	"github.com/machine-conformance/machine-conformance/simulators/sts"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

type config struct {
	clouds                   string // "all", "aws" or "openstack"
	osAddr, cloudsYAML       string
	ec2Addr, s3Addr, stsAddr string
	controlAddr              string // the control API alone, for one cloud
	advertiseHost            string // the host clients reach the listeners by
	region                   string
	worldFile                string
	printWorld               bool
	core                     core.Options
}

// usageError is a mistake in the command line or the files it names: the
// command exits 2, as for a bad flag.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("cloud-simulator", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.StringVar(&c.clouds, "cloud", "all", `clouds to serve: "all", "aws" (EC2, S3, STS) or "openstack" (Keystone, Nova, Neutron, Cinder, Glance)`)
	fs.StringVar(&c.osAddr, "openstack-listen", "127.0.0.1:0", "OpenStack listen address (Keystone and every other service)")
	fs.StringVar(&c.cloudsYAML, "clouds-yaml", "", "write a clouds.yaml for the OpenStack simulator here (cloud name \""+cloudName+"\")")
	fs.StringVar(&c.ec2Addr, "ec2-listen", "127.0.0.1:0", "EC2 listen address")
	fs.StringVar(&c.controlAddr, "control-listen", "",
		"also serve the control API alone at this address, for the one cloud --cloud names (a fixed port for harnesses, e.g. in a cluster)")
	fs.StringVar(&c.advertiseHost, "advertise-host", "",
		"host (name or IP) the printed and served endpoints carry instead of the listen address, e.g. the node's IP when listening on 0.0.0.0 in a pod")
	fs.StringVar(&c.s3Addr, "s3-listen", "127.0.0.1:0", "S3 listen address")
	fs.StringVar(&c.stsAddr, "sts-listen", "127.0.0.1:0", "STS listen address")
	fs.StringVar(&c.worldFile, "world", "", "YAML file describing the account: regions, zones, images, subnets, ... (default: a small built-in world)")
	fs.BoolVar(&c.printWorld, "print-world", false, "print the world as YAML and exit")
	fs.StringVar(&c.region, "region", "", "primary region, printed as AWS_REGION (default: the world's first region)")
	fs.Int64Var(&c.core.Seed, "seed", 1, "seed for IDs, jitter and fault probabilities")
	fs.DurationVar(&c.core.Progression.PendingFor, "pending-for", 2*time.Second, "how long new or started instances stay pending")
	fs.DurationVar(&c.core.Progression.Jitter, "jitter", 0, "random extra pending time, up to this")
	fs.DurationVar(&c.core.Progression.ShuttingDownFor, "shutting-down-for", 5*time.Second, "how long terminated instances stay shutting-down (and stopped ones stopping)")
	fs.DurationVar(&c.core.ReadLag, "read-lag", 0, "eventual consistency: new instances are invisible to reads this long")
	fs.IntVar(&c.core.Quota.MaxInstances, "max-instances", 0, "instance quota across regions (0: none; the world has per-region quotas)")
	fs.IntVar(&c.core.Quota.MaxVCPUs, "max-vcpus", 0, "vCPU quota across regions (0: none)")
	if err := fs.Parse(args); err != nil {
		return c, &usageError{err}
	}
	if fs.NArg() > 0 {
		return c, &usageError{fmt.Errorf("unexpected arguments %v", fs.Args())}
	}
	switch c.clouds {
	case "all", "aws", "openstack":
	default:
		return c, &usageError{fmt.Errorf("--cloud %q: want all, aws or openstack", c.clouds)}
	}
	if c.controlAddr != "" && c.clouds == "all" {
		return c, &usageError{errors.New("--control-listen serves the control API of one cloud: name it with --cloud=aws or --cloud=openstack")}
	}
	if c.cloudsYAML != "" && !c.serves("openstack") {
		return c, &usageError{fmt.Errorf("--clouds-yaml describes the OpenStack simulator, which --cloud=%s does not serve", c.clouds)}
	}
	return c, nil
}

// serves says whether cloud is among those --cloud names.
func (c config) serves(cloud string) bool { return c.clouds == "all" || c.clouds == cloud }

// world is the world to serve: --world's or the built-in one, with
// --region applied (it renames the first region when the world lacks it).
func (c config) world() (world.World, error) {
	w := world.Default()
	if c.worldFile != "" {
		var err error
		if w, err = world.LoadFile(c.worldFile); err != nil {
			return world.World{}, &usageError{err}
		}
	}
	served, _, err := ec2.ServedWorld(ec2.Options{World: &w, Region: c.region})
	if err != nil {
		return world.World{}, &usageError{fmt.Errorf("--region %s: %w", c.region, err)}
	}
	return served, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	c, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	w, err := c.world()
	if err != nil {
		return err
	}
	if c.printWorld {
		y, err := world.Marshal(w)
		if err != nil {
			return err
		}
		_, err = out.Write(y)
		return err
	}
	var services []service
	var control *simkit.Simulator // the one cloud's, for --control-listen
	var ec2srv *ec2.Server
	awsEnvMap := map[string]string{} // filled once the endpoints listen
	if c.serves("aws") {
		cloud := core.New(c.core)
		auth := awsauth.NewStore(awsauth.Options{World: &w, Clock: cloud.Clock(), Seed: c.core.Seed})
		ec2srv = ec2.NewUnstartedServer(ec2.Options{Cloud: cloud, World: &w, Auth: auth, Region: c.region, StrictReferences: true})
		// The EC2 endpoint also serves the control API (faults, chaos, the
		// oracle, the event log) for harnesses in other processes.
		control = simkit.New(simkit.Options{Cloud: cloud, Codec: aws.Codec(), Env: awsEnvMap, Inject: ec2srv.Inject})
		services = append(services,
			service{"--ec2-listen", c.ec2Addr, control.WithControl(ec2srv)},
			service{"--s3-listen", c.s3Addr, s3.Handler(s3.Options{})},
			service{"--sts-listen", c.stsAddr, sts.NewUnstartedServer(sts.Options{Auth: auth, Cloud: cloud, Regions: w.RegionNames()})})
	}
	var osCloud *openstackCloud
	if c.serves("openstack") {
		osCloud = newOpenStackCloud(c)
		services = append(services, service{"--openstack-listen", c.osAddr, osCloud.handler()})
		control = osCloud.control
	}
	if c.controlAddr != "" {
		services = append(services, service{"--control-listen", c.controlAddr, control.ControlHandler()})
	}
	urls, servers, err := listenAndServe(services, c.advertiseHost)
	if err != nil {
		return err
	}
	controlURL := ""
	if c.controlAddr != "" {
		controlURL, urls = urls[len(urls)-1], urls[:len(urls)-1]
	}
	if ec2srv != nil {
		for _, kv := range awsEnv(w, ec2srv.Region(), urls) {
			awsEnvMap[kv[0]] = kv[1]
		}
		printBanner(out, c, w, ec2srv.Region(), urls)
		urls = urls[3:]
	}
	if osCloud != nil {
		osCloud.setURL(urls[0])
		if c.cloudsYAML != "" {
			if err := writeCloudsYAML(c.cloudsYAML, osCloud.env); err != nil {
				return errors.Join(err, servers.shutdown())
			}
		}
		printOpenStackBanner(out, c, urls[0])
	}
	if controlURL != "" {
		fmt.Fprintf(out, "# control API alone: %s%s (machine-conformance --simulator-endpoint=%s)\n", controlURL, simkit.ControlPrefix, controlURL)
	}

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-servers.errs:
	}
	serveErr = errors.Join(serveErr, servers.shutdown())
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return serveErr
}

// service is one endpoint: the flag naming its address, and its handler.
type service struct {
	flag, addr string
	handler    http.Handler
}

// running are the servers of the services, and their errors.
type running struct {
	servers []*http.Server
	errs    chan error
}

func (r running) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, s := range r.servers {
		if err := s.Shutdown(ctx); !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// listenAndServe opens every service's listener (all or none) and serves
// them; it returns their URLs in order, on advertiseHost when it is set.
func listenAndServe(services []service, advertiseHost string) ([]string, running, error) {
	var listeners []net.Listener
	for _, s := range services {
		lis, err := net.Listen("tcp", s.addr)
		if err != nil {
			for _, open := range listeners {
				open.Close()
			}
			return nil, running{}, fmt.Errorf("%s %s: %w", s.flag, s.addr, err)
		}
		listeners = append(listeners, lis)
	}
	r := running{errs: make(chan error, len(services))}
	urls := make([]string, len(services))
	for i, lis := range listeners {
		srv := &http.Server{Handler: services[i].handler, ReadHeaderTimeout: 10 * time.Second}
		r.servers = append(r.servers, srv)
		urls[i] = "http://" + lis.Addr().String()
		if advertiseHost != "" {
			urls[i] = "http://" + net.JoinHostPort(advertiseHost, strconv.Itoa(lis.Addr().(*net.TCPAddr).Port))
		}
		go func() { r.errs <- srv.Serve(lis) }()
	}
	return urls, r, nil
}

// printBanner prints the endpoints and the world as comments, then the
// environment as export lines (EC2's, S3's, region and keys first, as
// scripts written before STS read them).
func printBanner(out io.Writer, c config, w world.World, region string, urls []string) {
	fmt.Fprintf(out, "# EC2 simulator: %s\n# S3 simulator:  %s (path-style)\n# STS simulator: %s\n", urls[0], urls[1], urls[2])
	fmt.Fprintf(out, "# control API:   %s%s (machine-conformance --provider=aws --simulator-endpoint=%s)\n", urls[0], simkit.ControlPrefix, urls[0])
	if c.worldFile != "" {
		fmt.Fprintf(out, "# world: %s\n", c.worldFile)
	} else {
		fmt.Fprintf(out, "# world: built in (print it as YAML with: cloud-simulator --print-world)\n")
	}
	for _, line := range world.Summary(w) {
		fmt.Fprintf(out, "#   %s\n", line)
	}
	for _, kv := range awsEnv(w, region, urls) {
		fmt.Fprintf(out, "export %s=%s\n", kv[0], kv[1])
	}
}

// awsEnv is the environment AWS SDKs read, in the order printed: EC2's,
// S3's, region and keys first, as scripts written before STS read them.
func awsEnv(w world.World, region string, urls []string) [][2]string {
	return [][2]string{
		{"AWS_ENDPOINT_URL_EC2", urls[0]}, {"AWS_ENDPOINT_URL_S3", urls[1]}, {"AWS_REGION", region},
		{"AWS_ACCESS_KEY_ID", w.Credentials[0].AccessKeyID}, {"AWS_SECRET_ACCESS_KEY", w.Credentials[0].SecretAccessKey},
		{"AWS_ENDPOINT_URL_STS", urls[2]},
	}
}
