package conformance

import (
	"io"
	"regexp"
	"sync"

	"github.com/onsi/ginkgo/v2/formatter"
)

// denoter matches what Ginkgo's console reporter writes for a spec with
// nothing to say: a lone •, S or P, maybe coloured. The suite prints its own
// line per spec, so those marks would only interleave with it.
var denoter = regexp.MustCompile(`^(\x1b\[[0-9;]*m)*[•SP](\x1b\[[0-9;]*m)*\n?$`)

// quietConsole makes Ginkgo's console reporter drop its per-spec marks and
// keep everything else (failures, the summary). Call it before RunSpecs.
func quietConsole() {
	if _, done := formatter.ColorableStdOut.(*denoterFilter); !done {
		formatter.ColorableStdOut = &denoterFilter{w: formatter.ColorableStdOut}
	}
}

type denoterFilter struct {
	mu sync.Mutex
	w  io.Writer
}

func (f *denoterFilter) Write(p []byte) (int, error) {
	if denoter.Match(p) {
		return len(p), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.Write(p)
}
