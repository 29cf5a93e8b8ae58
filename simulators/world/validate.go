package world

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	accountPattern      = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern       = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	instanceTypePattern = regexp.MustCompile(`^[a-z0-9-]+\.[a-z0-9-]+$`)
	zoneSuffixPattern   = regexp.MustCompile(`^[a-z]+$`)
	architectures       = []string{"arm64", "arm64_mac", "i386", "x86_64", "x86_64_mac"}
)

// Validate checks a world built in Go; errors name fields by path.
func (w World) Validate() error {
	if errs := w.problems(); len(errs) > 0 {
		return errs
	}
	return nil
}

// problems lists everything wrong with w, in field order.
func (w World) problems() Errors {
	p := &problems{}
	if !accountPattern.MatchString(w.AccountID) {
		p.add("accountID", "account ID %q is not 12 digits", w.AccountID)
	}
	p.credentials(w.Credentials)
	if len(w.Regions) == 0 {
		p.add("regions", "the world has no regions: add at least one, e.g. us-east-1 with its zones")
	}
	ids := map[string]seen{} // ID kind → first definitions, across regions
	regions := seen{}
	for i, r := range w.Regions {
		path := fmt.Sprintf("regions[%d]", i)
		if !regionPattern.MatchString(r.Name) {
			p.add(path+".name", "region name %q is not a region name like us-east-1", r.Name)
		}
		p.dup(regions, r.Name, path+".name", "region %q is listed twice", r.Name)
		p.region(w.AccountID, r, path, ids)
	}
	return p.list
}

func (p *problems) region(account string, r Region, path string, ids map[string]seen) {
	kind := func(k string) seen {
		if ids[k] == nil {
			ids[k] = seen{}
		}
		return ids[k]
	}
	if len(r.Zones) == 0 {
		p.add(path+".zones", "region %q has no zones: add at least one, e.g. %sa", r.Name, r.Name)
	}
	zones := seen{}
	for i, z := range r.Zones {
		zp := fmt.Sprintf("%s.zones[%d]", path, i)
		if rest, ok := strings.CutPrefix(z, r.Name); !ok || !zoneSuffixPattern.MatchString(rest) {
			p.add(zp, "zone %q is not in region %q (zone names are the region name and a letter, e.g. %sa)", z, r.Name, r.Name)
		}
		p.dup(zones, z, zp, "zone %q is listed twice", z)
	}
	p.images(r.Images, path, kind("image"))
	p.instanceTypes(r.InstanceTypes, path)
	p.network(r, path, kind)
	p.keyPairs(r.KeyPairs, path, kind("key pair"))
	p.profiles(account, r.InstanceProfiles, path)
	if r.Quotas.VCPUs < 0 {
		p.add(path+".quotas.vcpus", "region %q has a vCPU quota of %d: want 0 (no limit) or more", r.Name, r.Quotas.VCPUs)
	}
	if r.Quotas.Instances < 0 {
		p.add(path+".quotas.instances", "region %q has an instance quota of %d: want 0 (no limit) or more", r.Name, r.Quotas.Instances)
	}
}

func (p *problems) images(images []Image, path string, ids seen) {
	for i, img := range images {
		ip := fmt.Sprintf("%s.images[%d]", path, i)
		if !ValidID("ami-", img.ID) {
			p.add(ip+".id", "image ID %q is malformed: want %s", img.ID, idShape("ami-"))
		}
		p.dup(ids, img.ID, ip+".id", "image ID %q is used twice", img.ID)
		if img.Name == "" {
			p.add(ip+".name", "image %q has no name", img.ID)
		}
		if !strings.HasPrefix(img.RootDeviceName, "/dev/") {
			p.add(ip+".rootDeviceName", "image %q has root device name %q: want a device such as /dev/xvda", img.ID, img.RootDeviceName)
		}
		if !slices.Contains(architectures, img.Architecture) {
			p.add(ip+".architecture", "image %q has architecture %q: want one of %s", img.ID, img.Architecture, strings.Join(architectures, ", "))
		}
	}
}

func (p *problems) instanceTypes(types []InstanceType, path string) {
	names := seen{}
	for i, t := range types {
		tp := fmt.Sprintf("%s.instanceTypes[%d]", path, i)
		if !instanceTypePattern.MatchString(t.Name) {
			p.add(tp+".name", "instance type %q is malformed: want family.size, e.g. m5.large", t.Name)
		}
		p.dup(names, t.Name, tp+".name", "instance type %q is listed twice", t.Name)
		if t.VCPUs < 1 {
			p.add(tp+".vcpus", "instance type %q has %d vCPUs: want at least 1", t.Name, t.VCPUs)
		}
	}
}
