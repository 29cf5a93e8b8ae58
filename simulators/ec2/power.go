package ec2

import (
	"strings"
	"time"

	"github.com/machine-conformance/machine-conformance/simulators/core"
)

// The core knows pending, running, shutting-down and terminated. Stopping
// and starting are EC2's, so this front-end keeps them in the VM's
// attributes as "stop@<time>" or "start@<time>" and derives the state
// lazily from the clock, as the core derives its own: a stop lasts as long
// as the cloud's ShuttingDownFor, then the instance is stopped; a start is
// pending for PendingFor, then running. Termination wins over both.
//
// What the core does not see: it still counts a stopped instance as alive,
// so its global quota counts it (the world's regional quotas do not), and
// the node registrar keeps its Node Ready.

const timeLayout = time.RFC3339Nano

// stateOf is the EC2 state of vm at now.
func (s *Server) stateOf(vm core.VM, now time.Time) core.State {
	st := vm.State()
	if st != core.Running && st != core.Pending {
		return st
	}
	op, at, ok := power(vm)
	switch {
	case !ok:
		return st
	case op == "stop" && now.Before(at.Add(s.timing.ShuttingDownFor)):
		return stateStopping
	case op == "stop":
		return stateStopped
	case now.Before(at.Add(s.timing.PendingFor)):
		return core.Pending
	}
	return core.Running
}

// power reads the last stop or start of vm.
func power(vm core.VM) (op string, at time.Time, ok bool) {
	op, when, found := strings.Cut(vm.Attrs[attrPower], "@")
	if !found {
		return "", time.Time{}, false
	}
	at, err := time.Parse(timeLayout, when)
	return op, at, err == nil
}

// setPower records a stop or start of instance id at now.
func (s *Server) setPower(id, op string, now time.Time) (core.VM, error) {
	return s.cloud.UpdateAttrs(id, func(a map[string]string) { a[attrPower] = op + "@" + now.UTC().Format(timeLayout) })
}
