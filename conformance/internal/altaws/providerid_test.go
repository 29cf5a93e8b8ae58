package altaws

import "testing"

func TestInstanceID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		providerID string
		want       string
		ok         bool
	}{
		{ProviderID("us-east-1", "i-0123456789abcdef0"), "i-0123456789abcdef0", true},
		{"aws:///us-east-1a/i-0123456789abcdef0", "i-0123456789abcdef0", true}, // zone form
		{"aws:///us-east-1/i-01234567", "i-01234567", true},
		{"", "", false},
		{"gce:///p/z/i-0123456789abcdef0", "", false},
		{"aws:///us-east-1/", "", false},
		{"aws:///us-east-1/vol-0123456789abcdef0", "", false},
		{"aws:///us-east-1/i-XYZ", "", false},
	}
	for _, tc := range tests {
		id, ok := InstanceID(tc.providerID)
		if ok != tc.ok || (ok && id != tc.want) {
			t.Errorf("InstanceID(%q) = %q, %v; want %q, %v", tc.providerID, id, ok, tc.want, tc.ok)
		}
	}
	if got := ProviderID("eu-west-1", "i-01234567"); got != "aws:///eu-west-1/i-01234567" {
		t.Errorf("ProviderID = %q", got)
	}
}
