package ec2_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	sim "github.com/machine-conformance/machine-conformance/simulators/ec2"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// TestServedWorldOverrides: the Options fields that predate the world
// still decide what is served.
func TestServedWorldOverrides(t *testing.T) {
	t.Parallel()
	two := twoRegions()
	tests := []struct {
		name        string
		opts        sim.Options
		wantPrimary string
		check       func(w world.World) string
	}{
		{"nil world", sim.Options{}, "us-east-1", func(w world.World) string {
			return cmpStrings(w.RegionNames(), []string{"us-east-1"})
		}},
		{"a region the world lacks renames the first", sim.Options{Region: "eu-central-1"}, "eu-central-1", func(w world.World) string {
			r := w.Regions[0]
			return cmpStrings(append(r.Zones, r.Subnets[2].Zone), []string{"eu-central-1a", "eu-central-1b", "eu-central-1c", "eu-central-1c"})
		}},
		{"a region the world has becomes primary", sim.Options{World: &two, Region: "eu-west-1"}, "eu-west-1", func(w world.World) string {
			return cmpStrings(w.RegionNames(), []string{"us-east-1", "eu-west-1"})
		}},
		{"zones drop the subnets of other zones", sim.Options{Zones: []string{"us-east-1b"}}, "us-east-1", func(w world.World) string {
			return cmpStrings([]string{w.Regions[0].Subnets[0].ID}, []string{"subnet-0a1b2c3e"}) + cmpInts(len(w.Regions[0].Subnets), 1)
		}},
		{"instance types, images, keys, account", sim.Options{InstanceTypes: map[string]int{"x1.big": 64},
			Images:      []sim.Image{{ID: "ami-0000000a", Name: "other", RootDeviceName: "/dev/sda1", Architecture: "arm64"}},
			Credentials: map[string]string{"AKIAOTHERKEY00000001": "s"}, AccountID: "000000000001"}, "us-east-1", func(w world.World) string {
			r := w.Regions[0]
			return cmpStrings([]string{r.InstanceTypes[0].Name, r.Images[0].ID, w.Credentials[0].AccessKeyID, r.InstanceProfiles[0].ARN},
				[]string{"x1.big", "ami-0000000a", "AKIAOTHERKEY00000001", "arn:aws:iam::000000000001:instance-profile/nodes"})
		}},
	}
	for _, tc := range tests {
		w, primary, err := sim.ServedWorld(tc.opts)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if primary != tc.wantPrimary {
			t.Errorf("%s: primary region %s, want %s", tc.name, primary, tc.wantPrimary)
		}
		if diff := tc.check(w); diff != "" {
			t.Errorf("%s: %s", tc.name, diff)
		}
	}
	if _, _, err := sim.ServedWorld(sim.Options{Images: []sim.Image{{ID: "ami-x"}}}); err == nil || !strings.Contains(err.Error(), `image ID "ami-x" is malformed`) {
		t.Errorf("an invalid override: %v", err)
	}
}

func cmpStrings(got, want []string) string {
	if slices.Equal(got, want) {
		return ""
	}
	return "got " + strings.Join(got, ",") + ", want " + strings.Join(want, ",")
}

func cmpInts(got, want int) string {
	if got == want {
		return ""
	}
	return fmt.Sprintf("%d, want %d", got, want)
}
