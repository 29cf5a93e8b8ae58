package awsdriver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/gardener/machine-controller-manager/pkg/apis/machine/v1alpha1"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
	corev1 "k8s.io/api/core/v1"
)

// Options configure a Driver. The zero value talks to AWS itself.
type Options struct {
	// Endpoint overrides EC2's endpoint (as AWS_ENDPOINT_URL_EC2 does).
	Endpoint string
	// MaxAttempts of the SDK's standard retryer; zero means its default (3).
	MaxAttempts int
}

// Driver is the aws provider's driver.Driver.
type Driver struct{ opts Options }

var _ driver.Driver = (*Driver)(nil)

// New returns a driver.
func New(opts Options) *Driver { return &Driver{opts: opts} }

// call is everything one driver call needs: the decoded spec and a client
// signed with the class's credentials.
type call struct {
	spec   ProviderSpec
	ec2    *ec2.Client
	secret *corev1.Secret
}

func (d *Driver) prepare(class *v1alpha1.MachineClass, secret *corev1.Secret) (*call, error) {
	if class == nil || secret == nil {
		return nil, status.Error(codes.InvalidArgument, "request lacks the MachineClass or its Secret")
	}
	spec, errs := DecodeSpec(class.ProviderSpec.Raw, secret.Data)
	if len(errs) > 0 {
		return nil, status.Error(codes.InvalidArgument, errs.ToAggregate().Error())
	}
	o := ec2.Options{
		Region: spec.Region,
		Credentials: credentials.NewStaticCredentialsProvider(string(secret.Data[SecretAccessKeyID]),
			string(secret.Data[SecretSecretAccessKey]), ""),
		RetryMaxAttempts: d.opts.MaxAttempts,
	}
	if d.opts.Endpoint != "" {
		o.BaseEndpoint = aws.String(d.opts.Endpoint)
	}
	return &call{spec: spec, ec2: ec2.New(o), secret: secret}, nil
}

// ProviderID formats an instance's provider ID.
func ProviderID(zone, instanceID string) string { return "aws:///" + zone + "/" + instanceID }

// InstanceID parses aws:///<zone>/<instance-id>, the inverse of ProviderID.
func InstanceID(providerID string) (string, bool) {
	rest, ok := strings.CutPrefix(providerID, "aws:///")
	if !ok {
		return "", false
	}
	_, id, ok := strings.Cut(rest, "/")
	return id, ok && strings.HasPrefix(id, "i-")
}

// clientToken is the idempotency token of a machine's RunInstances: the
// same machine always asks with the same token.
func clientToken(spec ProviderSpec, m *v1alpha1.Machine) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%s/%s", clusterTag(spec.Tags), m.Namespace, m.Name, m.UID)))
	return hex.EncodeToString(sum[:])[:64]
}

// prepareFor is prepare plus the machine's name, which every per-machine call needs.
func (d *Driver) prepareFor(m *v1alpha1.Machine, class *v1alpha1.MachineClass, secret *corev1.Secret) (*call, string, error) {
	c, err := d.prepare(class, secret)
	if err != nil {
		return nil, "", err
	}
	if m == nil || m.Name == "" {
		return nil, "", status.Error(codes.InvalidArgument, "Machine.Name is empty")
	}
	return c, m.Name, nil
}

// InitializeMachine is not needed on EC2.
func (d *Driver) InitializeMachine(context.Context, *driver.InitializeMachineRequest) (*driver.InitializeMachineResponse, error) {
	return nil, status.Error(codes.Unimplemented, "the aws provider needs no initialization")
}

// GetVolumeIDs returns EBS volume IDs of in-tree and CSI EBS volumes.
func (d *Driver) GetVolumeIDs(_ context.Context, req *driver.GetVolumeIDsRequest) (*driver.GetVolumeIDsResponse, error) {
	var ids []string
	for _, pv := range req.PVSpecs {
		switch {
		case pv == nil:
		case pv.AWSElasticBlockStore != nil:
			id := pv.AWSElasticBlockStore.VolumeID
			ids = append(ids, id[strings.LastIndex(id, "/")+1:])
		case pv.CSI != nil && pv.CSI.Driver == "ebs.csi.aws.com":
			ids = append(ids, pv.CSI.VolumeHandle)
		}
	}
	return &driver.GetVolumeIDsResponse{VolumeIDs: ids}, nil
}
