package openstack

import (
	"maps"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// volume is a Cinder volume. Its status moves lazily on the cloud's clock,
// like the core's VMs: creating → available after VolumeProgression.Creating,
// deleting → gone after VolumeProgression.Deleting.
type volume struct {
	ID, Name, Description, Zone, VolumeType, ImageID string
	Size                                             int
	Metadata                                         map[string]string
	Created                                          time.Time
	Status                                           string
	StatusSince                                      time.Time
	// ServerID and Device name the attachment of an in-use volume.
	ServerID, Device string
}

type volumeStore struct {
	mu   sync.Mutex
	byID map[string]*volume
}

func newVolumeStore() *volumeStore { return &volumeStore{byID: map[string]*volume{}} }

// advance moves every volume through the states its age allows. Callers hold vs.mu.
func (vs *volumeStore) advance(now time.Time, p VolumeProgression) {
	for id, v := range vs.byID {
		switch {
		case v.Status == "creating" && !now.Before(v.StatusSince.Add(p.Creating)):
			v.Status, v.StatusSince = "available", v.StatusSince.Add(p.Creating)
		case v.Status == "deleting" && !now.Before(v.StatusSince.Add(p.Deleting)):
			delete(vs.byID, id)
		}
	}
}

// create adds v after checking the volumes and gigabytes quotas.
func (vs *volumeStore) create(v volume, now time.Time, p VolumeProgression, q Quotas) (volume, *apiError) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.advance(now, p)
	used := 0
	for _, other := range vs.byID {
		used += other.Size
	}
	if q.Volumes > 0 && len(vs.byID) >= q.Volumes {
		return volume{}, errorf(http.StatusRequestEntityTooLarge, FaultQuotaExceeded,
			"VolumeLimitExceeded: Maximum number of volumes allowed (%d) exceeded for quota 'volumes'.", q.Volumes)
	}
	if q.Gigabytes > 0 && used+v.Size > q.Gigabytes {
		return volume{}, errorf(http.StatusRequestEntityTooLarge, FaultQuotaExceeded,
			"VolumeSizeExceedsAvailableQuota: Requested volume or snapshot exceeds allowed gigabytes quota. Requested %dG, quota is %dG and %dG has been consumed.", v.Size, q.Gigabytes, used)
	}
	v.Created, v.StatusSince = now, now
	if v.Status == "" {
		v.Status = "creating"
	}
	stored := v
	stored.Metadata = maps.Clone(v.Metadata)
	vs.byID[v.ID] = &stored
	vs.advance(now, p)
	return stored.copy(), nil
}

func (vs *volumeStore) get(id string, now time.Time, p VolumeProgression) (volume, bool) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.advance(now, p)
	v, ok := vs.byID[id]
	if !ok {
		return volume{}, false
	}
	return v.copy(), true
}

// list returns every volume, newest first, as Cinder sorts them.
func (vs *volumeStore) list(now time.Time, p VolumeProgression) []volume {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.advance(now, p)
	out := make([]volume, 0, len(vs.byID))
	for _, v := range vs.byID {
		out = append(out, v.copy())
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

// transition changes the status of volume id from one of from to to; it
// fails as Cinder does when the volume is in another state.
func (vs *volumeStore) transition(id string, now time.Time, p VolumeProgression, from []string, to string, change func(*volume)) *apiError {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	vs.advance(now, p)
	v, ok := vs.byID[id]
	if !ok {
		return volumeNotFound(id)
	}
	if !slices.Contains(from, v.Status) {
		return errorf(http.StatusBadRequest, "InvalidVolume", "Invalid volume: Volume %s status must be %s, but current status is: %s.", id, from[0], v.Status)
	}
	v.Status, v.StatusSince = to, now
	if change != nil {
		change(v)
	}
	vs.advance(now, p)
	return nil
}

// remove drops a volume at once (undoing a failed server create).
func (vs *volumeStore) remove(id string) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	delete(vs.byID, id)
}

func (vs *volumeStore) count() int {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return len(vs.byID)
}

func (v *volume) copy() volume {
	c := *v
	c.Metadata = maps.Clone(v.Metadata)
	return c
}

func volumeNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "VolumeNotFound", "Volume %s could not be found.", id)
}
