package world

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Marshal prints w as YAML that Load reads back.
func Marshal(w World) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(w); err != nil {
		return nil, fmt.Errorf("printing world: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("printing world: %w", err)
	}
	return buf.Bytes(), nil
}

// Summary is one line per region saying what exists, for logs and banners.
func Summary(w World) []string {
	out := []string{fmt.Sprintf("account %s, %d access key(s)", w.AccountID, len(w.Credentials))}
	for _, r := range w.Regions {
		line := fmt.Sprintf("%s: zones %s; %d image(s), %d instance type(s), %d VPC(s), %d subnet(s), %d security group(s), %d key pair(s), %d instance profile(s)",
			r.Name, strings.Join(r.Zones, " "), len(r.Images), len(r.InstanceTypes), len(r.VPCs), len(r.Subnets),
			len(r.SecurityGroups), len(r.KeyPairs), len(r.InstanceProfiles))
		if r.Quotas.VCPUs > 0 || r.Quotas.Instances > 0 {
			line += fmt.Sprintf("; quotas %d vCPUs, %d instances (0: none)", r.Quotas.VCPUs, r.Quotas.Instances)
		}
		out = append(out, line)
	}
	return out
}
