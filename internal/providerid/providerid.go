// Package providerid reads Kubernetes provider IDs (<provider>://<id>).
package providerid

import "strings"

// VMKey is the part of a provider ID that names the VM itself: its last path
// segment. Drivers and nodes may spell the rest differently (EC2's zone and
// region forms, aws:///us-east-1a/i-0abc and aws:///us-east-1/i-0abc), so
// the suite relates VMs by this key.
func VMKey(providerID string) string {
	s := strings.TrimRight(providerID, "/")
	return s[strings.LastIndex(s, "/")+1:]
}
