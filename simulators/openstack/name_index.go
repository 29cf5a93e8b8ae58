package openstack

import (
	"regexp"
	"strings"
	"sync"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// nameIndex finds servers by Nova's name filter (a regular expression
// searched in the name) without scanning the inventory: a literal of three
// or more characters is looked up by its rarest trigram. Names never
// change, so entries are only added; VMs that entered the core without
// passing through the Server are picked up from a snapshot as soon as the
// core's Known count shows them.
type nameIndex struct {
	mu     sync.Mutex
	names  map[string]string              // VM ID → server name
	grams  map[string]map[string]struct{} // trigram → VM IDs
	offset int                            // VMs the core knew at the last resync that the index never saw
}

func newNameIndex() *nameIndex {
	return &nameIndex{names: map[string]string{}, grams: map[string]map[string]struct{}{}}
}

func (ix *nameIndex) add(id, name string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.addLocked(id, name)
}

func (ix *nameIndex) addLocked(id, name string) {
	if _, seen := ix.names[id]; seen {
		return
	}
	ix.names[id] = name
	for i := 0; i+3 <= len(name); i++ {
		g := name[i : i+3]
		if ix.grams[g] == nil {
			ix.grams[g] = map[string]struct{}{}
		}
		ix.grams[g][id] = struct{}{}
	}
}

// resync indexes the VMs the core knows and the index does not. Callers hold ix.mu.
func (ix *nameIndex) resync(cloud *core.Cloud) {
	known := cloud.Known() // before the snapshot: a VM launched meanwhile shows up next time
	if known == len(ix.names)+ix.offset {
		return
	}
	for _, vm := range cloud.Snapshot() {
		ix.addLocked(vm.ID, vm.Attrs[AttrName])
	}
	ix.offset = known - len(ix.names)
}

// search returns the IDs of servers whose name matches pattern as Nova's
// name filter does: a regular expression found anywhere in the name (a
// pattern that does not compile is taken literally).
func (ix *nameIndex) search(cloud *core.Cloud, pattern string) []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.resync(cloud)
	match := func(name string) bool { return strings.Contains(name, pattern) }
	literal := regexp.QuoteMeta(pattern) == pattern
	if re, err := regexp.Compile(pattern); err == nil && !literal {
		match = re.MatchString
	}
	var out []string
	if literal && len(pattern) >= 3 {
		for id := range ix.rarest(pattern) {
			if match(ix.names[id]) {
				out = append(out, id)
			}
		}
		return out
	}
	for id, name := range ix.names {
		if match(name) {
			out = append(out, id)
		}
	}
	return out
}

// rarest is the smallest posting list among the trigrams of a literal.
func (ix *nameIndex) rarest(literal string) map[string]struct{} {
	var best map[string]struct{}
	for i := 0; i+3 <= len(literal); i++ {
		ids := ix.grams[literal[i:i+3]]
		if len(ids) == 0 {
			return nil
		}
		if best == nil || len(ids) < len(best) {
			best = ids
		}
	}
	return best
}
