package altaws

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/simulators/ec2"
)

// Name is the provider's name in conformance runs.
const Name = "aws-alt"

// Cluster is the clusterName of the sample class.
const Cluster = "conformance"

// EnvEndpoint is the env key that points the driver at another EC2
// endpoint, as the AWS SDKs read it.
const EnvEndpoint = "AWS_ENDPOINT_URL_EC2"

//go:embed testdata/*.yaml
var testdata embed.FS

// Provider describes the driver to the conformance suite, running against
// the simulator that simulator starts (nil: no simulator). It is not
// registered: the driver exists only to test the suite.
func Provider(simulator func(ctx context.Context) (providers.Simulator, error)) providers.Provider {
	fixtures, err := fs.Sub(testdata, "testdata")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return providers.Provider{
		Name:        Name,
		Description: "alternative AWS driver with its own conventions (test-only), against the EC2 simulator",
		NewDriver: func(_ context.Context, env map[string]string) (driver.Driver, error) {
			return New(Options{Endpoint: env[EnvEndpoint]}), nil
		},
		// The suite writes this into MachineClass.provider; the driver
		// refuses classes of any other provider.
		ClassProvider:       ClassProvider,
		SampleProviderSpec:  sampleSpec(Cluster),
		ForeignProviderSpec: sampleSpec("someone-else"),
		SampleSecret: map[string][]byte{
			SecretAccessKeyID:     []byte(ec2.DefaultAccessKeyID),
			SecretSecretAccessKey: []byte(ec2.DefaultSecretAccessKey),
			SecretUserData:        []byte("#cloud-config\n"),
		},
		Fixtures:     fixtures,
		NewSimulator: simulator,
	}
}

// sampleSpec is a valid providerSpec for cluster, using what the EC2
// simulator knows (its default image; it accepts any well-formed subnet
// and security group ID).
func sampleSpec(cluster string) json.RawMessage {
	size := int32(50)
	raw, err := json.Marshal(ProviderSpec{
		ImageID: ec2.DefaultImage.ID, InstanceType: "m5.large", Region: "us-east-1", AvailabilityZone: "us-east-1a",
		SubnetID: "subnet-0a1b2c3d", SecurityGroupIDs: []string{"sg-0a1b2c3d"},
		ClusterName: cluster, NodeRole: "node", RootVolumeGiB: &size,
	})
	if err != nil {
		panic(err) // a struct of strings and ints always marshals
	}
	return raw
}
