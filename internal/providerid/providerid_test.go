package providerid

import "testing"

func TestVMKey(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"aws:///us-east-1a/i-0abc":      "i-0abc",
		"aws:///us-east-1/i-0abc":       "i-0abc",
		"gce:///project/zone/vm-1/":     "vm-1",
		"openstack:///6f1c-42":          "6f1c-42",
		"no-slashes":                    "no-slashes",
		"azure:///subscriptions/s/vm/x": "x",
	}
	for in, want := range tests {
		if got := VMKey(in); got != want {
			t.Errorf("VMKey(%q) = %q, want %q", in, got, want)
		}
	}
}
