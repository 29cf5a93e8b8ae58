// Package aws registers the aws provider: the reference driver of package
// awsdriver, and the EC2 simulator it runs against in tests. Only this
// registration knows the simulator; the driver reaches it over the wire.
package aws

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"
	"maps"
	"net/http/httptest"
	"time"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/aws/awsdriver"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/s3"
)

//go:embed testdata/*.yaml
var testdata embed.FS

// Cluster is the cluster ID of the sample class; the simulator joins this
// cluster's VMs as Nodes.
const Cluster = "conformance"

// EnvEndpoint points the driver at another EC2 endpoint, as the AWS SDKs do.
const EnvEndpoint = "AWS_ENDPOINT_URL_EC2"

func init() {
	fixtures, err := fs.Sub(testdata, "testdata")
	if err != nil {
		panic(err)
	}
	providers.Register(providers.Provider{
		Name:        "aws",
		Description: "reference AWS driver on aws-sdk-go-v2, against the EC2 simulator",
		NewDriver: func(_ context.Context, env map[string]string) (driver.Driver, error) {
			return awsdriver.New(awsdriver.Options{Endpoint: env[EnvEndpoint]}), nil
		},
		SampleProviderSpec: json.RawMessage(`{"ami":"` + ec2.DefaultImage.ID + `","region":"us-east-1","machineType":"m5.large",` +
			`"iam":{"name":"nodes"},"networkInterfaces":[{"subnetID":"subnet-0a1b2c3d","securityGroupIDs":["sg-0a1b2c3d"]}],` +
			`"tags":{"kubernetes.io/cluster/` + Cluster + `":"1","kubernetes.io/role/node":"1"}}`),
		ForeignProviderSpec: json.RawMessage(`{"ami":"` + ec2.DefaultImage.ID + `","region":"us-east-1","machineType":"m5.large",` +
			`"iam":{"name":"nodes"},"networkInterfaces":[{"subnetID":"subnet-0a1b2c3d"}],` +
			`"tags":{"kubernetes.io/cluster/someone-else":"1","kubernetes.io/role/node":"1"}}`),
		SampleSecret: map[string][]byte{
			awsdriver.SecretAccessKeyID:     []byte(ec2.DefaultAccessKeyID),
			awsdriver.SecretSecretAccessKey: []byte(ec2.DefaultSecretAccessKey),
			awsdriver.SecretUserData:        []byte("#cloud-config\n"),
		},
		Fixtures:       fixtures,
		NewSimulator:   func(context.Context) (providers.Simulator, error) { return NewSimulator(), nil },
		SimulatorCloud: "aws",
	})
}

// NewSimulator starts the EC2 and S3 simulators on one cloud, wrapped by
// providers/simkit with the EC2 codec. The EC2 endpoint also serves the
// simulator's control API (simkit.ControlPrefix), so a harness in another
// process can steer it (cmd/cloud-simulator serves one this way).
func NewSimulator() *simkit.Simulator {
	cloud := core.New(core.Options{Progression: core.Progression{PendingFor: 500 * time.Millisecond, ShuttingDownFor: time.Second}})
	srv, store := ec2.NewUnstartedServer(ec2.Options{Cloud: cloud, StrictReferences: true}), s3.NewServer(s3.Options{})
	front := httptest.NewUnstartedServer(nil)
	env := map[string]string{} // filled once the endpoint is known; simkit reads it at each Env call
	sim := simkit.New(simkit.Options{
		Cloud:  cloud,
		Codec:  codec{},
		Env:    env,
		Inject: srv.Inject,
		Close:  func() { front.Close(); store.Close() },
	})
	front.Config.Handler = sim.WithControl(srv)
	front.Start()
	maps.Copy(env, map[string]string{
		EnvEndpoint:             front.URL,
		"AWS_ENDPOINT_URL_S3":   store.URL,
		"AWS_REGION":            srv.Region(),
		"AWS_ACCESS_KEY_ID":     ec2.DefaultAccessKeyID,
		"AWS_SECRET_ACCESS_KEY": ec2.DefaultSecretAccessKey,
	})
	return sim
}
