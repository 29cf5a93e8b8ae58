package world

import "strings"

// ValidID says whether id is an EC2 resource ID of the given prefix ("ami-",
// "subnet-", "sg-", "vpc-", ...): the prefix, then 8 or 17 lowercase hex
// digits, as EC2's short and long ID formats have it.
func ValidID(prefix, id string) bool {
	rest, ok := strings.CutPrefix(id, prefix)
	if !ok || len(rest) != 8 && len(rest) != 17 {
		return false
	}
	for _, c := range rest {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// idShape describes a valid ID for error messages.
func idShape(prefix string) string {
	return prefix + " and 8 or 17 hex digits, e.g. " + prefix + "0a1b2c3d"
}
