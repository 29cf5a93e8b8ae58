package altaws

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/status"
)

// Tags every VM carries, as real AWS drivers set them.
const (
	TagName          = "Name"
	ClusterTagPrefix = "kubernetes.io/cluster/"
	RoleTagPrefix    = "kubernetes.io/role/"
)

// aliveStates are the states of a VM that still belongs to its machine.
var aliveStates = []string{"pending", "running", "stopping", "stopped"}

// pageSize is DescribeInstances' largest page.
const pageSize = 1000

func (c *call) clusterTag() string { return ClusterTagPrefix + c.spec.ClusterName }

// clusterFilters select the live VMs of the class's cluster.
func (c *call) clusterFilters() []types.Filter {
	return []types.Filter{
		{Name: aws.String("tag-key"), Values: []string{c.clusterTag()}},
		{Name: aws.String("instance-state-name"), Values: aliveStates},
	}
}

// describe returns every instance matching filters, page by page until
// EC2 returns no NextToken.
func (c *call) describe(ctx context.Context, op string, filters []types.Filter) ([]types.Instance, error) {
	in := &ec2.DescribeInstancesInput{Filters: filters, MaxResults: aws.Int32(pageSize)}
	seen := map[string]bool{}
	var out []types.Instance
	for {
		page, err := c.ec2.DescribeInstances(ctx, in)
		if err != nil {
			return nil, c.fail("DescribeInstances ("+op+")", err)
		}
		for _, r := range page.Reservations {
			out = append(out, r.Instances...)
		}
		next := aws.ToString(page.NextToken)
		if next == "" {
			return out, nil
		}
		if seen[next] {
			return nil, status.Error(codes.Internal, fmt.Sprintf("EC2 DescribeInstances (%s) returned the page token %q twice; stopping instead of looping", op, next))
		}
		seen[next] = true
		in.NextToken = aws.String(next)
	}
}

// byName returns the cluster's live VMs tagged Name=name, oldest first.
func (c *call) byName(ctx context.Context, name string) ([]types.Instance, error) {
	found, err := c.describe(ctx, "machine "+name, append(c.clusterFilters(),
		types.Filter{Name: aws.String("tag:" + TagName), Values: []string{name}}))
	if err != nil {
		return nil, err
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := aws.ToTime(found[i].LaunchTime), aws.ToTime(found[j].LaunchTime)
		if !a.Equal(b) {
			return a.Before(b)
		}
		return aws.ToString(found[i].InstanceId) < aws.ToString(found[j].InstanceId)
	})
	return found, nil
}

// byID returns instance id if it is alive and carries the cluster's tag;
// nothing if EC2 does not know it.
func (c *call) byID(ctx context.Context, id string) ([]types.Instance, error) {
	out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}, Filters: c.clusterFilters()})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, c.fail("DescribeInstances (instance "+id+")", err)
	}
	var found []types.Instance
	for _, r := range out.Reservations {
		found = append(found, r.Instances...)
	}
	return found, nil
}

// isNotFound says whether err is EC2's answer for an unknown instance ID.
func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "InvalidInstanceID.NotFound"
}

// tagValue returns the value of tag key, "" if absent.
func tagValue(inst types.Instance, key string) string {
	for _, t := range inst.Tags {
		if aws.ToString(t.Key) == key {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

// providerIDOf is the ProviderID of one of the class's instances.
func (c *call) providerIDOf(inst types.Instance) string {
	return ProviderID(c.spec.Region, aws.ToString(inst.InstanceId))
}

// ids lists the instance IDs of found.
func ids(found []types.Instance) []string {
	out := make([]string, len(found))
	for i, inst := range found {
		out[i] = aws.ToString(inst.InstanceId)
	}
	return out
}
