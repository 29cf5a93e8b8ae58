package altaws

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscredentials "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
)

// ClassProvider is the MachineClass.provider value this driver serves.
const ClassProvider = "AWS"

// Options configure a Driver. The zero value talks to AWS itself with the
// SDK's default retries.
type Options struct {
	// Endpoint replaces EC2's regional endpoint (AWS_ENDPOINT_URL_EC2);
	// empty means AWS.
	Endpoint string
	// MaxAttempts bounds the SDK's attempts per API call, retries included;
	// zero means the SDK's default (3).
	MaxAttempts int
}

// Driver is the alternative AWS driver.
type Driver struct {
	opts Options
	http *awshttp.BuildableClient // shared, so per-call clients reuse connections
}

var _ driver.Driver = (*Driver)(nil)

// New returns a Driver.
func New(opts Options) *Driver {
	return &Driver{opts: opts, http: awshttp.NewBuildableClient()}
}

// call is one driver call: the class's decoded spec and an EC2 client
// signed with the secret's credentials for the spec's region.
type call struct {
	class *v1alpha1.MachineClass
	spec  ProviderSpec
	creds credentials
	ec2   *ec2.Client
}

// prepare validates class and secret, reporting every problem at once.
func (d *Driver) prepare(class *v1alpha1.MachineClass, secret *corev1.Secret) (*call, error) {
	if class == nil {
		return nil, status.Error(codes.InvalidArgument, "MachineClass: required, the request carries none")
	}
	var p problems
	if class.Provider != ClassProvider {
		p.add("MachineClass.provider", fmt.Sprintf("got %q, this driver serves only %q", class.Provider, ClassProvider))
	}
	spec, specProblems := decodeSpec(class.ProviderSpec.Raw)
	creds, secretProblems := readSecret(secret)
	p = append(append(p, specProblems...), secretProblems...)
	if len(p) > 0 {
		return nil, status.Error(codes.InvalidArgument, fmt.Sprintf("MachineClass %s is invalid: %s", class.Name, p))
	}
	o := ec2.Options{
		Region:           spec.Region,
		Credentials:      awscredentials.NewStaticCredentialsProvider(creds.accessKeyID, creds.secretAccessKey, ""),
		RetryMaxAttempts: d.opts.MaxAttempts,
		HTTPClient:       d.http,
	}
	if d.opts.Endpoint != "" {
		o.BaseEndpoint = aws.String(d.opts.Endpoint)
	}
	return &call{class: class, spec: spec, creds: creds, ec2: ec2.New(o)}, nil
}

// prepareMachine is prepare for calls about one machine, which must be named.
func (d *Driver) prepareMachine(m *v1alpha1.Machine, class *v1alpha1.MachineClass, secret *corev1.Secret) (*call, error) {
	if m == nil || m.Name == "" {
		return nil, status.Error(codes.InvalidArgument, "Machine.name: required, the request names no machine")
	}
	return d.prepare(class, secret)
}

// InitializeMachine is not needed: the VM is complete once launched.
func (d *Driver) InitializeMachine(context.Context, *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	return nil, status.Error(codes.Unimplemented, "the aws-alt driver has no initialization step")
}

// GenerateMachineClassForMigration is not supported: there is no older
// class kind to migrate from.
func (d *Driver) GenerateMachineClassForMigration(context.Context, *driver.GenerateMachineClassForMigrationRequest) (*driver.GenerateMachineClassForMigrationResponse, error) {
	return nil, status.Error(codes.Unimplemented, "the aws-alt driver has no provider-specific machine class to migrate from")
}
