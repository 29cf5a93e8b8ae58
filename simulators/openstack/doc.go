// Package openstack is an OpenStack front-end on the simulator core: it
// speaks the real wire APIs of Keystone v3, Nova (compute v2.1), Neutron
// (v2.0), Cinder (v3) and Glance (v2) well enough that a driver built on
// github.com/gophercloud/gophercloud/v2 runs against it unchanged, pointed
// at it only by its Keystone auth URL (Server.URL). The token's catalog
// sends every other call back to the same server: Nova at /compute/v2.1,
// Neutron at /network, Cinder at /volume/v3/<project>, Glance at /image.
//
// # Design
//
// Servers are the core's VMs, so the ownership oracle, chaos (Kill,
// Vanish, injected orphans and duplicates), read lag, quotas and the event
// log work on them as on EC2 instances. Nova metadata is the VM's tags;
// the cluster a server belongs to is read from its kubernetes.io-cluster-
// <name> metadata key, as MCM's OpenStack driver writes it, and its machine
// from its name. Server IDs are UUIDs drawn from the core's seed
// (core.Cloud.NewUUID). Nova shows the core's states as BUILD (pending),
// ACTIVE (running), task_state deleting then gone (a deletion the API
// started), SHUTOFF (a VM that died on its own) and ERROR (a build that
// failed); BUILD lasts core.Progression.PendingFor on the cloud's clock, so
// a fake clock runs minutes of booting in microseconds.
//
// Ports, volumes and tokens are the front-end's own: ports live in a
// store with address pools per subnet (Nova creates one per network of a
// new server, with device_id set to the server, and deletes it with the
// server), volumes move creating → available and deleting → gone lazily on
// the cloud's clock (VolumeProgression), tokens expire after TokenLifetime.
// Networks, subnets, security groups, flavors and images are the static
// catalogue of Options: the API lists and shows them, never creates them.
//
// Every action goes through one pipeline: the token is checked (401 in
// Keystone's shape if missing, unknown or expired), core.Do (the request
// pipeline every front-end shares) decides latency, an injected error or
// commit-then-fail (the effect happens and the answer is lost), the call
// is logged with Cloud.Record.
// Errors are the services' own: Nova and Cinder wrap a fault in its name
// ({"itemNotFound": {"code": 404, "message": ...}}), Neutron in
// NeutronError with a type, Keystone in "error". An exhausted instances or
// cores quota is Nova's 403 "Quota exceeded for instances: ..."; volumes
// and gigabytes are Cinder's 413 overLimit; ports are Neutron's 409
// OverQuota. The fault codes FaultRateLimit, FaultQuotaExceeded,
// FaultNoValidHost and FaultUnauthorized are answered natively; see
// faults.go. Operation names (for core.FaultRule.Operation) are listed in
// routes.go: CreateToken, CreateServer, ListServers, GetServer,
// DeleteServer, the metadata operations, ListFlavors, GetFlavor,
// ListImages, GetImage, ListAvailabilityZones, ListNetworks, ListSubnets,
// ListSecurityGroups, CreatePort, ListPorts, GetPort, UpdatePort,
// DeletePort, the port tag operations, CreateVolume, ListVolumes,
// GetVolume, DeleteVolume. Fault-rule attributes for every action:
// "Operation" and "Service" (identity, compute, network, volume, image);
// CreateServer adds "Name", "Flavor", "Image", "Zone" and "meta:KEY" for
// each metadata key. Version discovery documents are served without token,
// faults or logging.
//
// Nova's name filter is a regular expression searched in the name, as Nova
// applies it: ?name=m-1 lists m-1 and m-10. Literal names are found through
// a trigram index, so a lookup by name does not grow with the inventory.
//
// Simplifications a driver may notice: Nova makes a new server's ports
// and volumes within the create call, so an exhausted subnet or volume
// quota refuses the call (400, 403) instead of leaving the server in
// ERROR; a server's addresses are fixed when it is created; chaos acts on
// the core only, so a killed or vanished server's ports and volumes stay.
//
// # What it will never be
//
// A cloud: there are no hypervisors, no real networking, no images to
// upload, no admin APIs, no Keystone catalogue of users and roles beyond
// one project, no policy, no multi-region catalog, no server actions
// (reboot, resize, rebuild, stop), no floating IPs, routers, load
// balancers, snapshots or backups, no multiple create (min_count > 1).
// Every method and path it does not serve answers 501 naming the method,
// the path and, for POST /servers/{id}/action, the action; a filter it
// does not implement answers 501 naming the filter. So a driver that needs
// more than the simulator offers fails loudly instead of passing for the
// wrong reason.
package openstack
