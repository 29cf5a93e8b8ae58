package ec2

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

type keyPairXML struct {
	KeyPairID   string   `xml:"keyPairId"`
	KeyName     string   `xml:"keyName"`
	Fingerprint string   `xml:"keyFingerprint"`
	KeyType     string   `xml:"keyType"`
	Tags        []tagXML `xml:"tagSet>item"`
}

type describeKeyPairsResponse struct {
	XMLName   xml.Name     `xml:"DescribeKeyPairsResponse"`
	Xmlns     string       `xml:"xmlns,attr"`
	RequestID string       `xml:"requestId"`
	Keys      []keyPairXML `xml:"keySet>item"`
}

func describeKeyPairs(s *Server, req *request) (any, error) {
	keys, err := selectResources(req, listing[world.KeyPair]{
		idParam: "KeyName", id: func(k world.KeyPair) string { return k.Name },
		notFound: func(names []string) error { return keyNotFound("key pair", names) },
		fields: map[string]func(world.KeyPair) []string{
			"key-name": func(k world.KeyPair) []string { return one(k.Name) }, "key-pair-id": func(k world.KeyPair) []string { return one(k.ID) },
			"fingerprint": func(k world.KeyPair) []string { return one(fingerprint(k)) }, "key-type": func(world.KeyPair) []string { return one("rsa") },
		},
		tags: func(k world.KeyPair) map[string]string { return k.Tags },
	}, s.region(req).KeyPairs)
	if err != nil {
		return nil, err
	}
	if ids := req.list("KeyPairId"); len(ids) > 0 {
		byID := map[string]world.KeyPair{}
		for _, k := range keys {
			byID[k.ID] = k
		}
		keys = nil
		var missing []string
		for _, id := range ids {
			if k, ok := byID[id]; ok {
				keys = append(keys, k)
			} else {
				missing = append(missing, id)
			}
		}
		if len(missing) > 0 {
			return nil, keyNotFound("key pair ID", missing)
		}
	}
	resp := &describeKeyPairsResponse{Xmlns: xmlns, RequestID: req.id}
	for _, k := range keys {
		resp.Keys = append(resp.Keys, keyPairXML{KeyPairID: k.ID, KeyName: k.Name, Fingerprint: fingerprint(k), KeyType: "rsa", Tags: tagsXML(k.Tags)})
	}
	return resp, nil
}

func keyNotFound(what string, names []string) error {
	return &apiError{Status: http.StatusBadRequest, Code: "InvalidKeyPair.NotFound",
		Message: fmt.Sprintf("The %s '%s' does not exist", what, strings.Join(names, ", "))}
}

// fingerprint is a stable colon-separated digest standing in for the MD5
// fingerprint of a key the simulator never holds.
func fingerprint(k world.KeyPair) string {
	sum := sha256.Sum256([]byte(k.ID + "/" + k.Name))
	h := hex.EncodeToString(sum[:16])
	parts := make([]string, 0, 16)
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}
