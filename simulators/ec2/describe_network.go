package ec2

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

type cidrStateXML struct {
	State string `xml:"state"`
}

type cidrAssocXML struct {
	AssociationID string        `xml:"associationId"`
	CIDR          string        `xml:"cidrBlock,omitempty"`
	IPv6CIDR      string        `xml:"ipv6CidrBlock,omitempty"`
	State         *cidrStateXML `xml:"cidrBlockState,omitempty"`
	IPv6State     *cidrStateXML `xml:"ipv6CidrBlockState,omitempty"`
}

var associated = &cidrStateXML{State: "associated"}

type vpcXML struct {
	VpcID           string         `xml:"vpcId"`
	OwnerID         string         `xml:"ownerId"`
	State           string         `xml:"state"`
	CIDR            string         `xml:"cidrBlock"`
	CIDRAssocs      []cidrAssocXML `xml:"cidrBlockAssociationSet>item"`
	IPv6Assocs      []cidrAssocXML `xml:"ipv6CidrBlockAssociationSet>item"`
	DhcpOptionsID   string         `xml:"dhcpOptionsId"`
	InstanceTenancy string         `xml:"instanceTenancy"`
	IsDefault       bool           `xml:"isDefault"`
	Tags            []tagXML       `xml:"tagSet>item"`
}

type describeVpcsResponse struct {
	XMLName   xml.Name `xml:"DescribeVpcsResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	RequestID string   `xml:"requestId"`
	Vpcs      []vpcXML `xml:"vpcSet>item"`
}

func describeVpcs(s *Server, req *request) (any, error) {
	vpcs, err := selectResources(req, listing[world.VPC]{
		idParam: "VpcId", id: func(v world.VPC) string { return v.ID },
		valid:     func(id string) bool { return world.ValidID("vpc-", id) },
		malformed: func(id string) error { return malformed("InvalidVpcID.Malformed", id, "vpc-") },
		notFound: func(ids []string) error {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidVpcID.NotFound", Message: fmt.Sprintf("The vpc ID '%s' does not exist", strings.Join(ids, ", "))}
		},
		fields: map[string]func(world.VPC) []string{
			"vpc-id": func(v world.VPC) []string { return one(v.ID) }, "cidr": func(v world.VPC) []string { return one(v.CIDR) },
			"cidr-block-association.cidr-block":           func(v world.VPC) []string { return one(v.CIDR) },
			"ipv6-cidr-block-association.ipv6-cidr-block": func(v world.VPC) []string { return one(v.IPv6CIDR) },
			"state": func(world.VPC) []string { return one("available") }, "owner-id": func(world.VPC) []string { return one(s.world.AccountID) },
			"is-default": func(world.VPC) []string { return one("false") },
		},
		tags: func(v world.VPC) map[string]string { return v.Tags },
	}, s.region(req).VPCs)
	if err != nil {
		return nil, err
	}
	resp := &describeVpcsResponse{Xmlns: xmlns, RequestID: req.id}
	for _, v := range vpcs {
		x := vpcXML{VpcID: v.ID, OwnerID: s.world.AccountID, State: "available", CIDR: v.CIDR, DhcpOptionsID: "default",
			InstanceTenancy: "default", Tags: tagsXML(v.Tags),
			CIDRAssocs: []cidrAssocXML{{AssociationID: "vpc-cidr-assoc-" + strings.TrimPrefix(v.ID, "vpc-"), CIDR: v.CIDR, State: associated}}}
		if v.IPv6CIDR != "" {
			x.IPv6Assocs = []cidrAssocXML{{AssociationID: "vpc-cidr-assoc-6" + strings.TrimPrefix(v.ID, "vpc-"), IPv6CIDR: v.IPv6CIDR, IPv6State: associated}}
		}
		resp.Vpcs = append(resp.Vpcs, x)
	}
	return resp, nil
}

type subnetXML struct {
	SubnetID     string         `xml:"subnetId"`
	SubnetArn    string         `xml:"subnetArn"`
	State        string         `xml:"state"`
	VpcID        string         `xml:"vpcId"`
	OwnerID      string         `xml:"ownerId"`
	CIDR         string         `xml:"cidrBlock"`
	IPv6Assocs   []cidrAssocXML `xml:"ipv6CidrBlockAssociationSet>item"`
	AvailableIPs int            `xml:"availableIpAddressCount"`
	Zone         string         `xml:"availabilityZone"`
	DefaultForAz bool           `xml:"defaultForAz"`
	MapPublicIP  bool           `xml:"mapPublicIpOnLaunch"`
	AssignIPv6   bool           `xml:"assignIpv6AddressOnCreation"`
	Tags         []tagXML       `xml:"tagSet>item"`
}

type describeSubnetsResponse struct {
	XMLName   xml.Name    `xml:"DescribeSubnetsResponse"`
	Xmlns     string      `xml:"xmlns,attr"`
	RequestID string      `xml:"requestId"`
	Subnets   []subnetXML `xml:"subnetSet>item"`
}

func describeSubnets(s *Server, req *request) (any, error) {
	ix := s.region(req)
	subnets, err := selectResources(req, listing[world.Subnet]{
		idParam: "SubnetId", id: func(v world.Subnet) string { return v.ID },
		valid: func(id string) bool { return world.ValidID("subnet-", id) },
		malformed: func(id string) error {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidSubnetID.Malformed", Message: fmt.Sprintf("The subnet ID '%s' is malformed", id)}
		},
		notFound: func(ids []string) error {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidSubnetID.NotFound", Message: fmt.Sprintf("The subnet ID '%s' does not exist", strings.Join(ids, ", "))}
		},
		fields: map[string]func(world.Subnet) []string{
			"subnet-id": func(v world.Subnet) []string { return one(v.ID) }, "vpc-id": func(v world.Subnet) []string { return one(v.VPC) },
			"availability-zone": func(v world.Subnet) []string { return one(v.Zone) },
			"cidr-block":        func(v world.Subnet) []string { return one(v.CIDR) }, "cidr": func(v world.Subnet) []string { return one(v.CIDR) },
			"ipv6-cidr-block-association.ipv6-cidr-block": func(v world.Subnet) []string { return one(v.IPv6CIDR) },
			"state": func(world.Subnet) []string { return one("available") }, "owner-id": func(world.Subnet) []string { return one(s.world.AccountID) },
			"default-for-az": func(world.Subnet) []string { return one("false") },
		},
		tags: func(v world.Subnet) map[string]string { return v.Tags },
	}, ix.Subnets)
	if err != nil {
		return nil, err
	}
	resp := &describeSubnetsResponse{Xmlns: xmlns, RequestID: req.id}
	for _, sn := range subnets {
		bits := netip.MustParsePrefix(sn.CIDR).Bits()
		x := subnetXML{SubnetID: sn.ID, SubnetArn: "arn:aws:ec2:" + ix.Name + ":" + s.world.AccountID + ":subnet/" + sn.ID,
			State: "available", VpcID: sn.VPC, OwnerID: s.world.AccountID, CIDR: sn.CIDR, Zone: sn.Zone,
			AvailableIPs: 1<<(32-bits) - 5, Tags: tagsXML(sn.Tags)}
		if sn.IPv6CIDR != "" {
			x.IPv6Assocs = []cidrAssocXML{{AssociationID: "subnet-cidr-assoc-" + strings.TrimPrefix(sn.ID, "subnet-"), IPv6CIDR: sn.IPv6CIDR, IPv6State: associated}}
		}
		resp.Subnets = append(resp.Subnets, x)
	}
	return resp, nil
}

type securityGroupXML struct {
	OwnerID     string   `xml:"ownerId"`
	GroupID     string   `xml:"groupId"`
	GroupName   string   `xml:"groupName"`
	Description string   `xml:"groupDescription"`
	VpcID       string   `xml:"vpcId"`
	Arn         string   `xml:"securityGroupArn"`
	Tags        []tagXML `xml:"tagSet>item"`
}

type describeSecurityGroupsResponse struct {
	XMLName   xml.Name           `xml:"DescribeSecurityGroupsResponse"`
	Xmlns     string             `xml:"xmlns,attr"`
	RequestID string             `xml:"requestId"`
	Groups    []securityGroupXML `xml:"securityGroupInfo>item"`
}

func describeSecurityGroups(s *Server, req *request) (any, error) {
	ix := s.region(req)
	groups, err := selectResources(req, listing[world.SecurityGroup]{
		idParam: "GroupId", id: func(g world.SecurityGroup) string { return g.ID },
		valid:     func(id string) bool { return world.ValidID("sg-", id) },
		malformed: func(id string) error { return malformed("InvalidGroupId.Malformed", id, "sg-") },
		notFound: func(ids []string) error {
			return &apiError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound", Message: fmt.Sprintf("The security group '%s' does not exist", strings.Join(ids, ", "))}
		},
		fields: map[string]func(world.SecurityGroup) []string{
			"group-id": func(g world.SecurityGroup) []string { return one(g.ID) }, "group-name": func(g world.SecurityGroup) []string { return one(g.Name) },
			"vpc-id": func(g world.SecurityGroup) []string { return one(g.VPC) }, "description": func(g world.SecurityGroup) []string { return one(g.Description) },
			"owner-id": func(world.SecurityGroup) []string { return one(s.world.AccountID) },
		},
		tags: func(g world.SecurityGroup) map[string]string { return g.Tags },
	}, ix.SecurityGroups)
	if err != nil {
		return nil, err
	}
	if names := req.list("GroupName"); len(names) > 0 {
		if groups, err = groupsNamed(groups, names); err != nil {
			return nil, err
		}
	}
	resp := &describeSecurityGroupsResponse{Xmlns: xmlns, RequestID: req.id}
	for _, g := range groups {
		resp.Groups = append(resp.Groups, securityGroupXML{OwnerID: s.world.AccountID, GroupID: g.ID, GroupName: g.Name,
			Description: g.Description, VpcID: g.VPC, Tags: tagsXML(g.Tags),
			Arn: "arn:aws:ec2:" + ix.Name + ":" + s.world.AccountID + ":security-group/" + g.ID})
	}
	return resp, nil
}

// groupsNamed keeps the groups GroupName.N names; every name must match.
func groupsNamed(groups []world.SecurityGroup, names []string) ([]world.SecurityGroup, error) {
	var out []world.SecurityGroup
	for _, n := range names {
		found := false
		for _, g := range groups {
			if g.Name == n {
				out, found = append(out, g), true
			}
		}
		if !found {
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound",
				Message: fmt.Sprintf("The security group '%s' does not exist in default VPC 'none'", n)}
		}
	}
	return out, nil
}
