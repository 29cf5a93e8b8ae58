package ec2

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// unmodelledNICAttributes are ModifyNetworkInterfaceAttribute parameters the
// simulator refuses loudly rather than ignore.
var unmodelledNICAttributes = []string{"Attachment", "Description", "EnaSrdSpecification", "ConnectionTrackingSpecification",
	"AssociatePublicIpAddress", "EnablePrimaryIpv6", "AssociatedSubnetId"}

// modifyNetworkInterfaceAttribute changes one attribute of an instance's
// interface: SourceDestCheck.Value or the security groups (SecurityGroupId.N).
func modifyNetworkInterfaceAttribute(s *Server, req *request) (any, error) {
	vm, n, err := s.requestNIC(req)
	if err != nil {
		return nil, err
	}
	for _, name := range unmodelledNICAttributes {
		for k := range req.params {
			if k == name || strings.HasPrefix(k, name+".") {
				return nil, invalidParameter(fmt.Sprintf("The EC2 simulator does not implement the attribute %s of ModifyNetworkInterfaceAttribute.", name)).withCode("UnsupportedOperation")
			}
		}
	}
	check, groups := req.get("SourceDestCheck.Value"), req.list("SecurityGroupId")
	switch {
	case check == "" && len(groups) == 0:
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination", Message: "No attributes specified."}
	case check != "" && len(groups) > 0:
		return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidParameterCombination",
			Message: "Fields for multiple attribute types specified: sourceDestCheck, groupSet"}
	case check != "" && check != "true" && check != "false":
		return nil, invalidParameter(fmt.Sprintf("Value (%s) for parameter sourceDestCheck is invalid. Expected true or false.", check))
	}
	ix := s.region(req)
	for _, g := range groups {
		sg, ok := ix.groups[g]
		switch {
		case !world.ValidID("sg-", g):
			return nil, malformed("InvalidGroupId.Malformed", g, "sg-")
		case !ok:
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidGroup.NotFound", Message: fmt.Sprintf("The security group '%s' does not exist", g)}
		case n.VPCID != "" && sg.VPC != n.VPCID:
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidParameter",
				Message: fmt.Sprintf("Security group %s and network interface %s belong to different networks.", g, n.ID)}
		}
	}
	_, err = s.updateNIC(vm.ID, n.ID, func(n *nic) {
		if check != "" {
			n.SourceDestCheck = check == "true"
		} else {
			n.Groups = slices.Clone(groups)
		}
	})
	if err != nil {
		return nil, err
	}
	return &returnResponse{XMLName: xml.Name{Local: "ModifyNetworkInterfaceAttributeResponse"}, Xmlns: xmlns, RequestID: req.id, Return: true}, nil
}

// requestNIC finds the interface NetworkInterfaceId names in the request's region.
func (s *Server) requestNIC(req *request) (core.VM, nic, error) {
	id := req.get("NetworkInterfaceId")
	if id == "" {
		return core.VM{}, nic{}, missingParameter("NetworkInterfaceId")
	}
	if !world.ValidID("eni-", id) {
		return core.VM{}, nic{}, malformed("InvalidNetworkInterfaceID.Malformed", id, "eni-")
	}
	vm, n, ok := s.findNIC(req.region, id)
	if !ok {
		return core.VM{}, nic{}, &apiError{Status: http.StatusBadRequest, Code: "InvalidNetworkInterfaceID.NotFound",
			Message: fmt.Sprintf("The networkInterface ID '%s' does not exist", id)}
	}
	return vm, n, nil
}

// updateNIC changes interface id of instance vmID atomically.
func (s *Server) updateNIC(vmID, id string, change func(*nic)) (core.VM, error) {
	vm, err := s.cloud.UpdateAttrs(vmID, func(a map[string]string) {
		nics := nicsOf(core.VM{Attrs: a})
		for i := range nics {
			if nics[i].ID == id {
				change(&nics[i])
			}
		}
		setNICs(a, nics)
	})
	if err != nil {
		return core.VM{}, &apiError{Status: http.StatusBadRequest, Code: "InvalidNetworkInterfaceID.NotFound",
			Message: fmt.Sprintf("The networkInterface ID '%s' does not exist", id)}
	}
	return vm, nil
}
