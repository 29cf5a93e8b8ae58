// Package providers is the one place machine providers register. A provider
// is a package of its own that calls Register from init; providers/all
// imports every provider, and commands import providers/all. Adding a
// provider therefore touches no file in controller/ or conformance/.
package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"k8s.io/client-go/rest"
)

// Provider describes one machine provider.
type Provider struct {
	// Name is what users pass as PROVIDER=name or --provider=name.
	Name string
	// Description is one line shown in listings.
	Description string
	// NewDriver builds the provider's driver. env carries settings such as
	// endpoint overrides (a Simulator's Env, or the user's environment);
	// credentials come from the MachineClass secret, as in production.
	NewDriver func(ctx context.Context, env map[string]string) (driver.Driver, error)
	// ClassProvider is the MachineClass.provider value the driver expects
	// (MCM's AWS driver, for one, refuses every class but "AWS"). Empty
	// means Name. See MachineClassProvider.
	ClassProvider string
	// ListPageSize is the most VMs the cloud answers in one page of the
	// list call behind ListMachines (EC2's DescribeInstances: 1,000); the
	// suite makes more VMs than that and expects all of them listed. Zero
	// means 1,000.
	ListPageSize int
	// SampleProviderSpec is a valid MachineClass providerSpec.
	SampleProviderSpec json.RawMessage
	// SampleSecret is valid data for the MachineClass's secret.
	SampleSecret map[string][]byte
	// ForeignProviderSpec is a valid providerSpec for another cluster in
	// the same account, used to check that a driver never lists or touches
	// another cluster's VMs. Nil skips those checks.
	ForeignProviderSpec json.RawMessage
	// Fixtures holds providerSpec fixtures named valid-*.yaml and
	// invalid-*.yaml; nil if the provider has none.
	Fixtures fs.FS
	// NewSimulator starts the cloud the driver runs against in tests, nil if
	// the provider runs only against its real cloud.
	NewSimulator func(ctx context.Context) (Simulator, error)
	// SimulatorCloud is the cloud cmd/cloud-simulator serves for this
	// provider (its --cloud: "aws", "openstack"), for runs that deploy the
	// simulator into a cluster. Empty means none: such runs need the real
	// cloud. A provider repository that renames a registered provider
	// keeps its simulator this way.
	SimulatorCloud string
}

// MachineClassProvider is the value the suite writes into
// MachineClass.provider: ClassProvider, or Name when that is empty.
func (p Provider) MachineClassProvider() string {
	if p.ClassProvider != "" {
		return p.ClassProvider
	}
	return p.Name
}

// Simulator is a running cloud simulator.
type Simulator interface {
	// Env returns the settings that point a driver (or any SDK client) at it.
	Env() map[string]string
	// Close stops it.
	Close() error
}

// NodeJoiner is implemented by simulators whose VMs join a cluster as
// Nodes, as real VMs' kubelets do. The conformance harness uses it; for a
// simulator without it, the harness registers nodes itself.
type NodeJoiner interface {
	// JoinNodes starts registering this cluster's VMs as Nodes of the
	// cluster cfg reaches, until stop is called. The VM of a machine for
	// which held(machine name) is true does not join (a kubelet that never
	// comes up), so creation timeouts can be exercised.
	JoinNodes(cfg *rest.Config, held func(machineName string) bool) (stop func() error, err error)
}

// ErrUnknownProvider is returned by Get for a name nobody registered.
var ErrUnknownProvider = errors.New("unknown provider")

var (
	mu       sync.RWMutex
	registry = map[string]Provider{}
)

// Register adds p. It panics on a programming error: an empty name, a
// missing NewDriver, or a name registered twice.
func Register(p Provider) {
	mu.Lock()
	defer mu.Unlock()
	switch {
	case p.Name == "":
		panic("providers.Register: empty Name")
	case p.NewDriver == nil:
		panic("providers.Register: provider " + p.Name + " has no NewDriver")
	}
	if _, dup := registry[p.Name]; dup {
		panic("providers.Register: provider " + p.Name + " registered twice")
	}
	registry[p.Name] = p
}

// Get returns the provider registered as name; for an unknown name the error
// wraps ErrUnknownProvider and lists the known ones.
func Get(name string) (Provider, error) {
	mu.RLock()
	p, ok := registry[name]
	mu.RUnlock()
	if !ok {
		return Provider{}, fmt.Errorf("%w %q; known providers: %s", ErrUnknownProvider, name, strings.Join(Names(), ", "))
	}
	return p, nil
}

// Names lists the registered providers, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
