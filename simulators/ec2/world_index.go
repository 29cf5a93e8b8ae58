package ec2

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/world"
)

// regionIndex answers lookups in one region of the served world.
type regionIndex struct {
	world.Region
	zones     map[string]bool
	images    map[string]world.Image
	types     map[string]int
	vpcs      map[string]world.VPC
	subnets   map[string]world.Subnet
	groups    map[string]world.SecurityGroup
	keyPairs  map[string]world.KeyPair
	byName    map[string]world.InstanceProfile
	byARN     map[string]world.InstanceProfile
	zoneFirst map[string]string // zone → its first subnet, for instances launched without one
}

func indexRegions(w world.World) map[string]*regionIndex {
	out := map[string]*regionIndex{}
	for _, r := range w.Regions {
		ix := &regionIndex{Region: r, zones: map[string]bool{}, images: map[string]world.Image{}, types: instanceTypeMap(r.InstanceTypes),
			vpcs: map[string]world.VPC{}, subnets: map[string]world.Subnet{}, groups: map[string]world.SecurityGroup{},
			keyPairs: map[string]world.KeyPair{}, byName: map[string]world.InstanceProfile{}, byARN: map[string]world.InstanceProfile{},
			zoneFirst: map[string]string{}}
		for _, z := range r.Zones {
			ix.zones[z] = true
		}
		for _, img := range r.Images {
			ix.images[img.ID] = img
		}
		for _, v := range r.VPCs {
			ix.vpcs[v.ID] = v
		}
		for _, sn := range r.Subnets {
			ix.subnets[sn.ID] = sn
			if _, ok := ix.zoneFirst[sn.Zone]; !ok {
				ix.zoneFirst[sn.Zone] = sn.ID
			}
		}
		for _, g := range r.SecurityGroups {
			ix.groups[g.ID] = g
		}
		for _, k := range r.KeyPairs {
			ix.keyPairs[k.Name] = k
		}
		for _, p := range r.InstanceProfiles {
			ix.byName[p.Name], ix.byARN[p.ARN] = p, p
		}
		out[r.Name] = ix
	}
	return out
}

// ServedWorld is the world a server built with opts serves: opts.World
// (or the default world) with the overrides of the older Options fields
// applied; and its primary region. It fails when that world is invalid.
func ServedWorld(opts Options) (world.World, string, error) {
	w, primary := overridden(opts)
	if err := w.Validate(); err != nil {
		return w, primary, fmt.Errorf("the world to serve is invalid:\n%w", err)
	}
	return w, primary, nil
}

func overridden(opts Options) (world.World, string) {
	w := world.Default()
	if opts.World != nil {
		w = opts.World.WithDefaults()
	}
	if len(w.Regions) == 0 {
		return w, opts.Region // Validate reports it
	}
	if opts.AccountID != "" && opts.AccountID != w.AccountID {
		for i := range w.Regions {
			for j, p := range w.Regions[i].InstanceProfiles {
				w.Regions[i].InstanceProfiles[j].ARN = strings.Replace(p.ARN, ":"+w.AccountID+":", ":"+opts.AccountID+":", 1)
			}
		}
		w.AccountID = opts.AccountID
	}
	if opts.Credentials != nil {
		w.Credentials = nil
		for _, k := range slices.Sorted(maps.Keys(opts.Credentials)) {
			w.Credentials = append(w.Credentials, world.Credential{AccessKeyID: k, SecretAccessKey: opts.Credentials[k], User: world.DefaultUser})
		}
	}
	primary := w.Regions[0].Name
	if opts.Region != "" {
		if w.Region(opts.Region) == nil {
			rename(&w.Regions[0], opts.Region)
		}
		primary = opts.Region
	}
	if opts.Zones != nil {
		r := w.Region(primary)
		r.Zones = slices.Clone(opts.Zones)
		r.Subnets = slices.DeleteFunc(r.Subnets, func(s world.Subnet) bool { return !slices.Contains(r.Zones, s.Zone) })
	}
	for i := range w.Regions {
		if opts.InstanceTypes != nil {
			w.Regions[i].InstanceTypes = instanceTypeList(opts.InstanceTypes)
		}
		if opts.Images != nil {
			w.Regions[i].Images = slices.Clone(opts.Images)
		}
	}
	return w, primary
}

// rename moves region r, its zones and subnets, to another region name.
func rename(r *world.Region, name string) {
	for i, z := range r.Zones {
		r.Zones[i] = name + strings.TrimPrefix(z, r.Name)
	}
	for i, s := range r.Subnets {
		r.Subnets[i].Zone = name + strings.TrimPrefix(s.Zone, r.Name)
	}
	r.Name = name
}

func instanceTypeMap(types []world.InstanceType) map[string]int {
	out := make(map[string]int, len(types))
	for _, t := range types {
		out[t.Name] = t.VCPUs
	}
	return out
}

func instanceTypeList(types map[string]int) []world.InstanceType {
	out := make([]world.InstanceType, 0, len(types))
	for name, n := range types {
		out = append(out, world.InstanceType{Name: name, VCPUs: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// region is the index of the region a request was signed for.
func (s *Server) region(req *request) *regionIndex { return s.regions[req.region] }

// vmRegion is the region an instance lives in: recorded at launch, else
// the region of its zone, else the primary region.
func (s *Server) vmRegion(vm core.VM) string {
	if r := vm.Attrs[attrRegion]; r != "" {
		return r
	}
	for name, ix := range s.regions {
		if ix.zones[vm.Zone] {
			return name
		}
	}
	return s.primary
}
