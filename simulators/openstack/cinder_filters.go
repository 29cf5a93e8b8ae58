package openstack

import (
	"encoding/json"
	"strings"
)

// parseMetadataFilter reads Cinder's metadata list filter, which clients
// send as a Python dict literal ({'k':'v', ...}, as gophercloud does) or
// as JSON.
func parseMetadataFilter(v string) map[string]string {
	if v == "" {
		return nil
	}
	out := map[string]string{}
	if json.Unmarshal([]byte(v), &out) == nil {
		return out
	}
	for _, pair := range strings.Split(strings.Trim(strings.TrimSpace(v), "{}"), ",") {
		k, val, ok := strings.Cut(pair, ":")
		if ok {
			out[strings.Trim(strings.TrimSpace(k), `'"`)] = strings.Trim(strings.TrimSpace(val), `'"`)
		}
	}
	return out
}

// hasMetadata says whether md holds every pair of want.
func hasMetadata(md, want map[string]string) bool {
	for k, v := range want {
		if have, ok := md[k]; !ok || have != v {
			return false
		}
	}
	return true
}
