package world_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// invalidFixtures lists, for every testdata/invalid-*.yaml, the exact
// error lines Load must give.
var invalidFixtures = map[string][]string{
	"invalid-subnet-vpc.yaml": {
		`testdata/invalid-subnet-vpc.yaml:14: subnet "subnet-11111111" names VPC "vpc-99999999" that does not exist`,
	},
	"invalid-unknown-field.yaml": {
		`testdata/invalid-unknown-field.yaml:9: unknown field "colour" in a VPC (known fields: cidr, id, ipv6CIDR, tags)`,
	},
	"invalid-duplicate-field.yaml": {
		`testdata/invalid-duplicate-field.yaml:9: field "cidr" is given twice in a VPC (first at line 8)`,
	},
	"invalid-malformed-ids.yaml": {
		`testdata/invalid-malformed-ids.yaml:7: image ID "ami-nope" is malformed: want ami- and 8 or 17 hex digits, e.g. ami-0a1b2c3d`,
		`testdata/invalid-malformed-ids.yaml:9: VPC ID "vpc-0A1B2C3D" is malformed: want vpc- and 8 or 17 hex digits, e.g. vpc-0a1b2c3d`,
		`testdata/invalid-malformed-ids.yaml:12: subnet ID "subnet-1" is malformed: want subnet- and 8 or 17 hex digits, e.g. subnet-0a1b2c3d`,
		`testdata/invalid-malformed-ids.yaml:14: security group ID "sg-12345" is malformed: want sg- and 8 or 17 hex digits, e.g. sg-0a1b2c3d`,
	},
	"invalid-duplicates.yaml": {
		`testdata/invalid-duplicates.yaml:7: zone "us-east-1a" is listed twice (first at line 6)`,
		`testdata/invalid-duplicates.yaml:14: security group name "nodes" is used twice in VPC "vpc-0a1b2c3d" (first at line 13)`,
		`testdata/invalid-duplicates.yaml:20: subnet ID "subnet-0a1b2c3d" is used twice (first at line 11)`,
		`testdata/invalid-duplicates.yaml:22: security group ID "sg-0a1b2c3d" is used twice (first at line 13)`,
		`testdata/invalid-duplicates.yaml:23: region "us-west-2" is listed twice (first at line 15)`,
	},
	"invalid-subnet-cidr.yaml": {
		`testdata/invalid-subnet-cidr.yaml:9: subnet "subnet-0a1b2c3d" has CIDR 10.1.0.0/24 outside its VPC "vpc-0a1b2c3d" (10.0.0.0/16)`,
		`testdata/invalid-subnet-cidr.yaml:11: subnet "subnet-0a1b2c3f" has CIDR 10.0.0.128/25 overlapping subnet "subnet-0a1b2c3e" (10.0.0.0/24)`,
		`testdata/invalid-subnet-cidr.yaml:12: subnet "subnet-0a1b2c40" has CIDR "10.0.2.1/24": has host bits set: want 10.0.2.0/24`,
		`testdata/invalid-subnet-cidr.yaml:13: subnet "subnet-0a1b2c41" has an IPv6 CIDR but its VPC "vpc-0a1b2c3d" has none: give the VPC an ipv6CIDR (/56)`,
	},
	"invalid-wrong-kinds.yaml": {
		`testdata/invalid-wrong-kinds.yaml:3: credentials: want a list, got a mapping`,
		`testdata/invalid-wrong-kinds.yaml:8: regions[0].instanceTypes[0].vcpus: want an integer, got "two"`,
	},
	"invalid-references.yaml": {
		`testdata/invalid-references.yaml:2: access key "AKIAINVALID000000001" has no secretAccessKey`,
		`testdata/invalid-references.yaml:5: zone "eu-west-1a" is not in region "us-east-1" (zone names are the region name and a letter, e.g. us-east-1a)`,
		`testdata/invalid-references.yaml:9: subnet "subnet-0a1b2c3d" names zone "us-east-1z" that region "us-east-1" does not have`,
		`testdata/invalid-references.yaml:11: security group "sg-0a1b2c3d" names VPC "vpc-0a1b2c3e" that does not exist`,
		`testdata/invalid-references.yaml:13: instance profile "nodes" has ARN in account "999999999999", but the world's account is "123456789012"`,
		`testdata/invalid-references.yaml:14: region "us-east-1" has a vCPU quota of -1: want 0 (no limit) or more`,
	},
	"invalid-empty.yaml": {
		`testdata/invalid-empty.yaml: the world is empty: want accountID, credentials and regions`,
	},
	"invalid-syntax.yaml": {
		`testdata/invalid-syntax.yaml: invalid YAML: yaml: line 2: did not find expected '-' indicator`,
	},
}

func TestInvalidWorlds(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/invalid-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid fixtures: %v", err)
	}
	for _, file := range files {
		want, ok := invalidFixtures[filepath.Base(file)]
		if !ok {
			t.Errorf("%s has no expected errors in invalidFixtures", file)
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			_, err := world.LoadFile(file)
			var errs world.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want world.Errors, got %v", err)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
	if len(files) != len(invalidFixtures) {
		t.Errorf("%d invalid fixtures on disk, %d in the table", len(files), len(invalidFixtures))
	}
}

func TestValidWorlds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file  string
		check func(t *testing.T, w world.World)
	}{
		{"valid-minimal.yaml", func(t *testing.T, w world.World) {
			if w.Credentials[0].User != world.DefaultUser || len(w.Regions) != 1 || w.Regions[0].Zones[0] != "ap-south-1a" {
				t.Errorf("loaded %+v", w)
			}
		}},
		{"valid-two-regions.yaml", func(t *testing.T, w world.World) {
			if got := w.RegionNames(); !reflect.DeepEqual(got, []string{"us-east-1", "eu-west-1"}) {
				t.Errorf("regions %v", got)
			}
			us, eu := w.Region("us-east-1"), w.Region("eu-west-1")
			if us.InstanceProfiles[0].ARN != "arn:aws:iam::210987654321:instance-profile/nodes" {
				t.Errorf("derived ARN %q", us.InstanceProfiles[0].ARN)
			}
			if eu.InstanceProfiles[0].ARN != "arn:aws:iam::210987654321:instance-profile/eu/nodes" {
				t.Errorf("given ARN lost: %q", eu.InstanceProfiles[0].ARN)
			}
			if id := us.KeyPairs[0].ID; len(id) != len("key-")+17 || !strings.HasPrefix(id, "key-") {
				t.Errorf("derived key pair ID %q", id)
			}
			if eu.Quotas != (world.Quotas{VCPUs: 8, Instances: 3}) || us.SecurityGroups[0].Tags["team"] != "platform" {
				t.Errorf("quotas %+v, tags %v", eu.Quotas, us.SecurityGroups[0].Tags)
			}
			if w.Region("ap-south-1") != nil {
				t.Error("a region the world lacks was found")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			w, err := world.LoadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, w)
			roundTrip(t, w)
		})
	}
}

// roundTrip: what Marshal prints, Load reads back unchanged.
func roundTrip(t *testing.T, w world.World) {
	t.Helper()
	out, err := world.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	back, err := world.Load("printed.yaml", out)
	if err != nil {
		t.Fatalf("the printed world does not load: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, w) {
		t.Errorf("round trip changed the world:\n%s", out)
	}
}

func TestDefaultIsValid(t *testing.T) {
	t.Parallel()
	w := world.Default()
	if err := w.Validate(); err != nil {
		t.Fatal(err)
	}
	r := w.Region(world.DefaultRegion)
	if len(r.Zones) != 3 || len(r.Subnets) != 3 || len(r.SecurityGroups) != 1 || len(r.KeyPairs) != 1 || len(r.InstanceProfiles) != 1 {
		t.Errorf("default region %+v", r)
	}
	for i, s := range r.Subnets {
		if s.Zone != r.Zones[i] {
			t.Errorf("subnet %s is in %s, want one subnet per zone in order", s.ID, s.Zone)
		}
	}
	if r.Images[0] != world.DefaultImage || w.Credentials[0].AccessKeyID != world.DefaultAccessKeyID {
		t.Errorf("default image %+v, key %s", r.Images[0], w.Credentials[0].AccessKeyID)
	}
	roundTrip(t, w)
}

// TestValidateGoWorld: a world built in Go is judged by the same rules,
// its errors naming field paths instead of lines.
func TestValidateGoWorld(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		mutate func(w *world.World)
		want   string
	}{
		{"unknown VPC", func(w *world.World) { w.Regions[0].Subnets[1].VPC = "vpc-99999999" },
			`world: regions[0].subnets[1].vpc: subnet "subnet-0a1b2c3e" names VPC "vpc-99999999" that does not exist`},
		{"duplicate subnet", func(w *world.World) { w.Regions[0].Subnets[2].ID = "subnet-0a1b2c3d" },
			`world: regions[0].subnets[2].id: subnet ID "subnet-0a1b2c3d" is used twice (first at regions[0].subnets[0].id)`},
		{"no regions", func(w *world.World) { w.Regions = nil },
			`world: regions: the world has no regions: add at least one, e.g. us-east-1 with its zones`},
		{"bad account", func(w *world.World) { w.AccountID = "12" }, `world: accountID: account ID "12" is not 12 digits` + "\n" +
			`world: regions[0].instanceProfiles[0].arn: instance profile "nodes" has ARN in account "123456789012", but the world's account is "12"`},
	}
	for _, tc := range tests {
		w := world.Default().Clone()
		tc.mutate(&w)
		if err := w.Validate(); err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v\nwant %s", tc.name, err, tc.want)
		}
	}
	if d := world.Default(); d.Regions[0].Subnets[1].VPC != "vpc-0a1b2c3d" {
		t.Error("mutating a clone changed Default")
	}
}

func TestValidID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		prefix, id string
		want       bool
	}{
		{"subnet-", "subnet-0a1b2c3d", true},
		{"subnet-", "subnet-0123456789abcdef0", true},
		{"subnet-", "subnet-1", false},
		{"subnet-", "subnet-0123456789abcdef", false}, // 16 digits
		{"sg-", "sg-0A1B2C3D", false},
		{"ami-", "ami-nope", false},
		{"vpc-", "subnet-0a1b2c3d", false},
	}
	for _, tc := range tests {
		if got := world.ValidID(tc.prefix, tc.id); got != tc.want {
			t.Errorf("ValidID(%q, %q) = %v", tc.prefix, tc.id, got)
		}
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	got := world.Summary(world.Default())
	want := []string{
		"account 123456789012, 1 access key(s)",
		"us-east-1: zones us-east-1a us-east-1b us-east-1c; 1 image(s), 7 instance type(s), 1 VPC(s), 3 subnet(s), 1 security group(s), 1 key pair(s), 1 instance profile(s)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("summary %q", got)
	}
}
