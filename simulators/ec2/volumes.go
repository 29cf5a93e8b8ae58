package ec2

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"sync"
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// volume is one EBS volume attached at launch, as the instance's
// attributes record it (attrVolumes).
type volume struct {
	Device              string `json:"device"`
	ID                  string `json:"id"`
	SizeGiB             int    `json:"sizeGiB"`
	DeleteOnTermination bool   `json:"deleteOnTermination"`
}

// volumePlan is a volume a launch asks for, before it has an ID.
type volumePlan struct {
	device              string
	sizeGiB             int
	volumeType          string
	deleteOnTermination bool
}

// volumePlans reads BlockDeviceMapping.N: the image's root volume (8 GiB
// unless resized) and any others.
func volumePlans(req *request, image Image) ([]volumePlan, error) {
	plans := []volumePlan{{device: image.RootDeviceName, sizeGiB: 8, volumeType: "gp3", deleteOnTermination: true}}
	for _, m := range req.members("BlockDeviceMapping") {
		dev := req.get(m + ".DeviceName")
		if dev == "" {
			return nil, missingParameter(m + ".DeviceName")
		}
		size, err := req.intParam(m+".Ebs.VolumeSize", 8)
		if err != nil {
			return nil, err
		}
		if size < 1 || size > 16384 {
			return nil, invalidParameter(fmt.Sprintf("Volume of %d GiB is outside 1..16384 (%s).", size, m))
		}
		p := volumePlan{device: dev, sizeGiB: size, volumeType: cmp.Or(req.get(m+".Ebs.VolumeType"), "gp3"),
			deleteOnTermination: req.get(m+".Ebs.DeleteOnTermination") != "false"}
		if dev == image.RootDeviceName {
			plans[0] = p
			continue
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// volumeRecord is a volume as a resource: it outlives its instance when
// DeleteOnTermination is false.
type volumeRecord struct {
	ID, Region, Zone, Type string
	SizeGiB                int
	Created                time.Time
	Tags                   map[string]string
	// The attachment made at launch; Detached once the instance is gone.
	InstanceID, Device  string
	DeleteOnTermination bool
	Detached            bool
}

// volumeStore holds the volumes launches created. Their state follows
// their instance lazily, as the core's states follow the clock: a volume
// of a terminated (or vanished) instance is deleted or, if it was not to
// be deleted on termination, becomes available.
type volumeStore struct {
	mu        sync.Mutex
	byID      map[string]*volumeRecord
	instances map[string]bool // instances whose volumes were registered
}

func newVolumeStore() *volumeStore {
	return &volumeStore{byID: map[string]*volumeRecord{}, instances: map[string]bool{}}
}

// knows says whether vm's volumes were registered: vm comes from an
// earlier launch (a client-token replay).
func (vs *volumeStore) knows(vm core.VM) bool {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return vs.instances[vm.ID]
}

// register records vm's volumes, tagged with the launch's volume tags.
func (vs *volumeStore) register(vm core.VM, l *launch, region string) {
	var vols []volume
	_ = json.Unmarshal([]byte(vm.Attrs[attrVolumes]), &vols)
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.instances[vm.ID] = true
	for i, v := range vols {
		typ := "gp3"
		if i < len(l.volumes) {
			typ = l.volumes[i].volumeType
		}
		vs.byID[v.ID] = &volumeRecord{ID: v.ID, Region: region, Zone: vm.Zone, Type: typ, SizeGiB: v.SizeGiB,
			Created: vm.LaunchTime, Tags: maps.Clone(l.tags["volume"]), InstanceID: vm.ID, Device: v.Device,
			DeleteOnTermination: v.DeleteOnTermination}
	}
}

// volumeView is a volume as DescribeVolumes shows it.
type volumeView struct {
	volumeRecord
	Status     string // in-use, available
	Attachment string // attached, detaching; empty when detached
}

// refreshLocked brings every volume up to date with the instances in
// states (by ID; a missing ID is a vanished instance). Callers hold vs.mu.
func (vs *volumeStore) refreshLocked(states map[string]core.State) {
	for id, r := range vs.byID {
		if st, ok := states[r.InstanceID]; r.Detached || ok && st != core.Terminated {
			continue
		}
		if r.DeleteOnTermination {
			delete(vs.byID, id)
		} else {
			r.Detached = true
		}
	}
}

// views returns the volumes of region, by ID, as they are given states.
func (vs *volumeStore) views(region string, states map[string]core.State) []volumeView {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.refreshLocked(states)
	var out []volumeView
	for _, r := range vs.byID {
		if r.Region != region {
			continue
		}
		v := volumeView{volumeRecord: *r, Status: "available"}
		switch {
		case r.Detached:
		case states[r.InstanceID] == core.ShuttingDown:
			v.Status, v.Attachment = "in-use", "detaching"
		default:
			v.Status, v.Attachment = "in-use", "attached"
		}
		v.Tags = maps.Clone(r.Tags)
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// tag changes the tags of volumes; all must exist in region, else it
// returns the IDs that do not and changes nothing.
func (vs *volumeStore) tag(region string, ids []string, states map[string]core.State, mutate func(tags map[string]string)) []string {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.refreshLocked(states)
	var missing []string
	for _, id := range ids {
		if r, ok := vs.byID[id]; !ok || r.Region != region {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return missing
	}
	for _, id := range ids {
		r := vs.byID[id]
		if r.Tags == nil {
			r.Tags = map[string]string{}
		}
		mutate(r.Tags)
	}
	return nil
}

// instanceStates maps every instance the core holds to its state, whatever
// ReadLag says, for volumes to follow.
func (s *Server) instanceStates() map[string]core.State {
	out := map[string]core.State{}
	for _, vm := range s.cloud.Snapshot() {
		out[vm.ID] = vm.State()
	}
	return out
}
