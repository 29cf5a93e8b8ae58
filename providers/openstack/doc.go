// Package openstack registers the openstack provider: the reference driver
// of package osdriver, and the OpenStack simulator (simulators/openstack)
// it runs against in tests. Only this registration knows the simulator;
// the driver reaches it over the wire, through gophercloud, from the
// Keystone URL alone.
//
// # Design
//
// The driver takes its credentials from the class Secret, as MCM's
// OpenStack driver does, authURL included. The sample Secret cannot know
// the simulator's URL (it is registered before any simulator starts), so
// it leaves authURL out and NewDriver hands the driver OS_AUTH_URL from the
// suite's environment as the authURL of a Secret without one. Against a
// real cloud, put authURL in the Secret or OS_AUTH_URL in --env-file.
//
// The simulator's identity (user, project, domain) and region are chosen
// so that no Secret value appears in what the suite scans for leaks: the
// region is part of every ProviderID, so it is shorter than the six
// characters the scanner looks for, and the names are not words the suite
// itself prints.
//
// Servers stay in BUILD for 100 ms of wall clock: CreateMachine waits for a
// server to leave BUILD (to see Nova's "No valid host" ERROR), and the
// paging spec creates 1,100 servers.
package openstack
