package openstack

import (
	"net/http"

	"github.com/machine-conformance/machine-conformance/providers"
	"github.com/machine-conformance/machine-conformance/providers/openstack/osdriver"
	"github.com/machine-conformance/machine-conformance/providers/simkit"
	"github.com/machine-conformance/machine-conformance/simulators/core"
	"github.com/machine-conformance/machine-conformance/simulators/nodes"
	ossim "github.com/machine-conformance/machine-conformance/simulators/openstack"
)

// codec is what OpenStack brings to providers/simkit: server IDs in
// provider IDs, nodes named by server name, cluster membership by Nova
// metadata, Nova's own failures.
type codec struct{ srv *ossim.Server }

// VMID reads the server ID of an openstack:///<region>/<id> provider ID.
func (codec) VMID(providerID string) string {
	id, _ := osdriver.ServerID(providerID)
	return id
}

func (c codec) ProviderID(vm core.VM) string { return c.srv.ProviderID(vm.ID) }

// Node joins the servers carrying Cluster's metadata key, named as the
// simulator names them (the server name).
func (c codec) Node(vm core.VM) (nodes.Identity, bool) {
	if _, ok := vm.Tags[osdriver.ClusterKeyPrefix+Cluster]; !ok {
		return nodes.Identity{}, false
	}
	return c.srv.NodeIdentity(vm)
}

// MachineName is the server name the driver creates servers with.
func (codec) MachineName(vm core.VM) string { return vm.Attrs[ossim.AttrName] }

func (codec) CreateOperation() string { return "CreateServer" }

// faults maps generic faults to Nova's own answers on POST /servers (auth:
// Keystone's 401 on every call, token creation included).
var faults = map[providers.Fault]core.FaultRule{
	providers.FaultThrottle:     {Error: &core.FaultError{Code: ossim.FaultRateLimit}},
	providers.FaultCapacity:     {Error: &core.FaultError{Code: ossim.FaultNoValidHost}},
	providers.FaultQuota:        {Error: &core.FaultError{Code: ossim.FaultQuotaExceeded}},
	providers.FaultAuth:         {Operation: "*", Error: &core.FaultError{Code: ossim.FaultUnauthorized}},
	providers.FaultLostResponse: {CommitThenFail: true, Error: &core.FaultError{Code: "computeFault", Status: http.StatusInternalServerError}},
}

func (codec) Fault(f providers.Fault) (core.FaultRule, bool) {
	rule, ok := faults[f]
	return rule, ok
}

// Codec is OpenStack's codec for providers/simkit, for commands that build
// the OpenStack simulator themselves (cmd/cloud-simulator serves the
// control API with it). Its servers join no cluster there.
func Codec(srv *ossim.Server) simkit.Codec { return codec{srv: srv} }
