package ec2_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/internal/benchkit"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// The benchmarks compare the simulator with a bare net/http handler, both
// driven through the real SDK client in the same process. The bare handler
// replays, byte for byte, a reply the simulator gave to the same call, so
// the SDK's own cost (about 160 µs of CPU a call, much of it decoding the
// reply) is the same on both sides and the ratio shows what the simulator
// adds: parsing, SigV4 verification, the inventory and encoding. Goal: at
// least half the bare handler's throughput, with 100 and with 10,000 VMs.

// recorder captures the simulator's last reply per action.
type recorder struct {
	next    http.Handler
	mu      sync.Mutex
	replies map[string][]byte
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	form, _ := url.ParseQuery(string(body))
	req.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	r.next.ServeHTTP(rec, req)
	r.mu.Lock()
	r.replies[form.Get("Action")] = rec.Body.Bytes()
	r.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// bareServer replays recorded replies, looking at nothing but the Action.
func bareServer(replies map[string][]byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		_, _ = w.Write(replies[r.PostForm.Get("Action")])
	}))
}

func benchClient(url string) *ec2.Client {
	return ec2.New(ec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider(sim.DefaultAccessKeyID, sim.DefaultSecretAccessKey, "")})
}

// describeInput is the query a driver's GetMachineStatus makes: cluster and
// role tag keys, live states, and the machine's Name.
func describeInput(i int) *ec2.DescribeInstancesInput {
	return &ec2.DescribeInstancesInput{Filters: []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{"kubernetes.io/cluster/bench"}},
		{Name: aws.String("tag-key"), Values: []string{"kubernetes.io/role/node"}},
		{Name: aws.String("instance-state-name"), Values: []string{"pending", "running"}},
		{Name: aws.String("tag:Name"), Values: []string{fmt.Sprintf("m-%d", i)}},
	}}
}

func runInput() *ec2.RunInstancesInput {
	return &ec2.RunInstancesInput{
		ImageId: aws.String(sim.DefaultImage.ID), InstanceType: types.InstanceTypeM5Large,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: []types.Tag{
			{Key: aws.String("kubernetes.io/cluster/bench"), Value: aws.String("1")},
			{Key: aws.String("kubernetes.io/role/node"), Value: aws.String("1")},
			{Key: aws.String("Name"), Value: aws.String("bench")}}}},
	}
}

// populated returns a simulator holding n running VMs of cluster "bench",
// named m-0 ... m-(n-1), and a bare server replaying its replies.
func populated(b *testing.B, n int) (*sim.Server, *httptest.Server) {
	cloud := core.New(core.Options{})
	for i := 0; i < n; i++ {
		_, _ = cloud.Launch(core.LaunchSpec{IDPrefix: "i-", IDDigits: 17, Zone: "us-east-1a", InstanceType: "m5.large", VCPUs: 2,
			ImageID: sim.DefaultImage.ID, Tags: map[string]string{"kubernetes.io/cluster/bench": "1",
				"kubernetes.io/role/node": "1", "Name": fmt.Sprintf("m-%d", i)}})
	}
	rec := &recorder{next: sim.NewUnstartedServer(sim.Options{Cloud: cloud, World: benchWorld()}), replies: map[string][]byte{}}
	recording := httptest.NewServer(rec)
	defer recording.Close()
	client := benchClient(recording.URL)
	if _, err := client.DescribeInstances(context.Background(), describeInput(0)); err != nil {
		b.Fatal(err)
	}
	if _, err := client.RunInstances(context.Background(), runInput()); err != nil {
		b.Fatal(err)
	}
	return sim.NewServer(sim.Options{Cloud: cloud, World: benchWorld()}), bareServer(rec.replies)
}

// benchWorld is the default world with room for the benchmark: it
// launches more instances into one subnet than a /18 holds, and EC2, like
// the simulator, refuses a launch into a full subnet. One subnet spans the
// whole VPC, a /16 (EC2's largest), 65,531 addresses.
func benchWorld() *world.World {
	w := world.Default()
	r := &w.Regions[0]
	r.Subnets = r.Subnets[:1]
	r.Subnets[0].CIDR = r.VPCs[0].CIDR
	return &w
}

// benchBoth compares the simulator with its bare replay, with 100 and
// 10,000 VMs.
func benchBoth(b *testing.B, call func(c *ec2.Client, i, n int, simulator bool) error) {
	benchkit.Compare(b, "vms", []int{100, 10000}, func(b *testing.B, n int) benchkit.Pair[*ec2.Client] {
		srv, bare := populated(b, n)
		return benchkit.Pair[*ec2.Client]{SimulatorURL: srv.URL, BareURL: bare.URL,
			Client: func(_ *testing.B, url string) *ec2.Client { return benchClient(url) },
			Close:  func() { srv.Close(); bare.Close() }}
	}, call)
}

// BenchmarkDescribeInstances runs describeInput against n VMs.
func BenchmarkDescribeInstances(b *testing.B) {
	benchBoth(b, func(c *ec2.Client, i, n int, simulator bool) error {
		out, err := c.DescribeInstances(context.Background(), describeInput(i%n))
		if err == nil && simulator && len(out.Reservations) != 1 {
			err = fmt.Errorf("found %d reservations for one machine", len(out.Reservations))
		}
		return err
	})
}

// BenchmarkRunInstances launches one tagged instance per call.
func BenchmarkRunInstances(b *testing.B) {
	benchBoth(b, func(c *ec2.Client, _, _ int, _ bool) error {
		_, err := c.RunInstances(context.Background(), runInput())
		return err
	})
}
