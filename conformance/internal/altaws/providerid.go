package altaws

import (
	"regexp"
	"strings"
)

// ProviderID is the region form aws:///<region>/<instance-id>. (The
// reference driver, and the nodes the simulator registers, use the zone
// form aws:///<zone>/<instance-id>; the difference is deliberate.)
func ProviderID(region, instanceID string) string {
	return "aws:///" + region + "/" + instanceID
}

var instanceIDPattern = regexp.MustCompile(`^i-([0-9a-f]{8}|[0-9a-f]{17})$`)

// InstanceID returns the last path segment of an aws:// provider ID if it
// is an instance ID, so the zone form is understood too.
func InstanceID(providerID string) (string, bool) {
	if !strings.HasPrefix(providerID, "aws://") {
		return "", false
	}
	id := providerID[strings.LastIndex(providerID, "/")+1:]
	return id, instanceIDPattern.MatchString(id)
}
