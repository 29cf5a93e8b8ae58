// Package osdriver is the reference OpenStack machine driver, written on
// gophercloud/v2 against the documented behaviour of Keystone v3, Nova,
// Neutron and Glance. It never imports a simulator: everything it needs
// comes from the class Secret's authURL and the catalog of the token it
// gets there, so pointed at the OpenStack simulator it proves the
// simulator speaks OpenStack, and pointed at a cloud it is an ordinary
// driver.
//
// # Design
//
// Credentials come from the class Secret as MCM's OpenStack provider
// reads them (authURL, username/password or an application credential,
// domainName, tenantName, region, userData). Options.AuthURL is the
// authURL a Secret without one gets: the provider registration fills it
// from OS_AUTH_URL, so the same sample Secret works against any simulator
// endpoint. Every call authenticates afresh; nothing is cached between
// calls, so a rotated Secret takes effect at once.
//
// Ownership is by server metadata: every server carries the providerSpec's
// kubernetes.io-cluster-<name> and kubernetes.io-role-<role> keys and is
// named after its machine. Nova's name filter is a regular expression
// searched in the name, so lookups ask with the literal name and keep only
// exact matches of this cluster. ProviderIDs are
// openstack:///<region>/<server-id>, node names the server names.
//
// Nova has no idempotency token, and reads may lag behind a create, so a
// lost answer to POST /servers could otherwise make a second server on the
// retry. The driver therefore creates the machine's Neutron port first
// (named after the machine, its description naming the cluster) and boots
// the server on it: Neutron binds the port to the server within the
// create, so a retry that cannot see the server yet still finds the port
// bound and answers with the server in its device_id. So does a create
// whose POST /servers failed: the port is re-read, and kept only if a
// server is bound to it. The port dies with the machine: DeleteMachine
// deletes it unless it is bound to a server that lives on. A port bound
// to a server that no longer exists is trusted by CreateMachine (Neutron
// unbinds ports of deleted servers; only the simulator's chaos leaves such
// bindings), which costs at worst a creation timeout and a new machine.
//
// CreateMachine waits, with backoff, until the new server leaves BUILD:
// Nova accepts a server it cannot place and only then moves it to ERROR
// ("No valid host was found"), which the contract calls ResourceExhausted;
// the broken server is deleted before answering. A server that reads do
// not show yet is not waited for.
//
// Servers whose task_state is deleting are gone as far as the driver is
// concerned: GetMachineStatus and ListMachines skip them, and DeleteMachine
// returns without waiting for Nova to finish.
//
// Error codes: Nova, Neutron and Keystone report only HTTP statuses, so the
// mapping is by status (see errors.go), except that Nova's 403 says in its
// text whether a quota was exceeded; that one message is read, because
// Nova offers nothing else to tell a quota from a policy refusal.
package osdriver
