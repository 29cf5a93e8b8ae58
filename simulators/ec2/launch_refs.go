package ec2

import (
	"fmt"
	"net/http"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// image finds an AMI of the region. A malformed ID is refused as such
// under StrictReferences; otherwise every unknown ID is NotFound.
func (s *Server) image(ix *regionIndex, id string) (Image, error) {
	if id == "" {
		return Image{}, missingParameter("ImageId")
	}
	if img, ok := ix.images[id]; ok {
		return img, nil
	}
	if s.opts.StrictReferences && !world.ValidID("ami-", id) {
		return Image{}, malformed("InvalidAMIID.Malformed", id, "ami-")
	}
	return Image{}, &apiError{Status: http.StatusBadRequest, Code: "InvalidAMIID.NotFound",
		Message: fmt.Sprintf("The image id '[%s]' does not exist", id)}
}

// launchRefs checks the key pair and instance profile a launch names and
// returns the attributes every instance of it shares.
func (s *Server) launchRefs(req *request, ix *regionIndex, image Image) (map[string]string, error) {
	a := map[string]string{attrRegion: ix.Name, attrRootDevice: image.RootDeviceName, attrArch: image.Architecture}
	if key := req.get("KeyName"); key != "" {
		if _, ok := ix.keyPairs[key]; !ok && s.opts.StrictReferences {
			return nil, &apiError{Status: http.StatusBadRequest, Code: "InvalidKeyPair.NotFound",
				Message: fmt.Sprintf("The key pair '%s' does not exist", key)}
		}
		a[attrKeyName] = key
	}
	switch arn, name := req.get("IamInstanceProfile.Arn"), req.get("IamInstanceProfile.Name"); {
	case arn != "":
		if _, ok := ix.byARN[arn]; !ok && s.opts.StrictReferences {
			return nil, invalidParameter(fmt.Sprintf("Value (%s) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN", arn))
		}
		a[attrIAMArn] = arn
	case name != "":
		p, ok := ix.byName[name]
		if !ok && s.opts.StrictReferences {
			return nil, invalidParameter(fmt.Sprintf("Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", name))
		}
		a[attrIAMArn] = p.ARN
		if !ok {
			a[attrIAMArn] = world.ProfileARN(s.world.AccountID, name)
		}
	}
	return a, nil
}

// malformed is EC2's answer to an ID of the wrong shape.
func malformed(code, id, prefix string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf("Invalid id: \"%s\" (expecting \"%s...\")", id, prefix)}
}
