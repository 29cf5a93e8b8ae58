package soak

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/providers"
)

// scenario is what a seed decides: the set's size, the cloud's faults and
// how often and how late the controller is killed.
type scenario struct {
	replicas      int32
	throttles     int           // creates that answer the cloud's throttling
	lostAnswers   int           // creates whose answer is lost after the VM exists
	lag           time.Duration // reads miss VMs younger than this
	killsPerPhase int
	maxKillDelay  time.Duration
}

func newScenario(rng *rand.Rand) scenario {
	s := scenario{
		replicas:      2 + rng.Int32N(3),
		killsPerPhase: 1 + rng.IntN(3),
		maxKillDelay:  time.Duration(300+rng.IntN(1500)) * time.Millisecond,
	}
	if rng.IntN(2) == 0 {
		s.throttles = 1 + rng.IntN(4)
	}
	if rng.IntN(2) == 0 {
		s.lostAnswers = 1 + rng.IntN(3)
	}
	if rng.IntN(2) == 0 {
		s.lag = time.Duration(rng.IntN(1500)) * time.Millisecond
	}
	return s
}

func (s scenario) String() string {
	parts := []string{fmt.Sprintf("%d replicas", s.replicas), fmt.Sprintf("%d kills per phase within %s", s.killsPerPhase, s.maxKillDelay)}
	if s.throttles > 0 {
		parts = append(parts, fmt.Sprintf("%d throttled creates", s.throttles))
	}
	if s.lostAnswers > 0 {
		parts = append(parts, fmt.Sprintf("%d lost create answers", s.lostAnswers))
	}
	if s.lag > 0 {
		parts = append(parts, fmt.Sprintf("reads lag %s", s.lag))
	}
	return strings.Join(parts, ", ")
}

// injectFaults turns the scenario's faults on and returns what turns them off.
func (s scenario) injectFaults(c providers.Chaos) (restore func()) {
	var undo []func()
	if s.throttles > 0 {
		undo = append(undo, c.Fail(providers.FaultThrottle, s.throttles))
	}
	if s.lostAnswers > 0 {
		undo = append(undo, c.Fail(providers.FaultLostResponse, s.lostAnswers))
	}
	if s.lag > 0 {
		undo = append(undo, c.Lag(s.lag))
	}
	return func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
}
