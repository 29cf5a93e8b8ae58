package openstack

import (
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"sync"
	"time"
)

// port is a Neutron port.
type port struct {
	ID, Name, Description, NetworkID string
	DeviceID, DeviceOwner, MAC       string
	FixedIPs                         []fixedIP
	SecurityGroups                   []string
	AllowedAddressPairs              []addressPair
	Tags                             []string
	Created, Updated                 time.Time
	Revision                         int
}

type fixedIP struct {
	SubnetID  string `json:"subnet_id"`
	IPAddress string `json:"ip_address"`
}

type addressPair struct {
	IPAddress  string `json:"ip_address"`
	MACAddress string `json:"mac_address,omitempty"`
}

// subnetPool hands out the addresses of one subnet, lowest free first
// after the last one given.
type subnetPool struct {
	Subnet
	networkID string
	prefix    netip.Prefix
	next      netip.Addr
	used      map[netip.Addr]string // address → port ID
}

// portStore holds every port and the address pools of the subnets.
type portStore struct {
	mu      sync.Mutex
	byID    map[string]*port
	subnets map[string]*subnetPool // by subnet ID
	nets    map[string][]string    // network ID → subnet IDs
	nextMAC int
}

func newPortStore(networks []Network) *portStore {
	ps := &portStore{byID: map[string]*port{}, subnets: map[string]*subnetPool{}, nets: map[string][]string{}}
	for _, n := range networks {
		ps.nets[n.ID] = nil
		for _, sn := range n.Subnets {
			prefix, err := netip.ParsePrefix(sn.CIDR)
			if err != nil {
				panic(fmt.Sprintf("openstack.Options: subnet %s (%s) has CIDR %q: %v", sn.Name, sn.ID, sn.CIDR, err))
			}
			ps.subnets[sn.ID] = &subnetPool{Subnet: sn, networkID: n.ID, prefix: prefix.Masked(),
				next: prefix.Masked().Addr().Next(), used: map[netip.Addr]string{}}
			ps.nets[n.ID] = append(ps.nets[n.ID], sn.ID)
		}
	}
	return ps
}

// portSpec is what a new port asks for; an empty FixedIPs takes one
// address from the network's first subnet.
type portSpec struct {
	ID, Name, Description, NetworkID, DeviceID, DeviceOwner string
	FixedIPs                                                []fixedIP // subnet and/or address
	SecurityGroups                                          []string
	AllowedAddressPairs                                     []addressPair
	Tags                                                    []string
}

// create allocates a port; limit > 0 is the ports quota.
func (ps *portStore) create(spec portSpec, now time.Time, limit int) (*port, *apiError) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	subnetIDs, ok := ps.nets[spec.NetworkID]
	if !ok {
		return nil, errorf(http.StatusNotFound, "NetworkNotFound", "Network %s could not be found.", spec.NetworkID)
	}
	if limit > 0 && len(ps.byID) >= limit {
		return nil, errorf(http.StatusConflict, "OverQuota", "Quota exceeded for resources: ['port'].")
	}
	wants := spec.FixedIPs
	if len(wants) == 0 && len(subnetIDs) > 0 {
		wants = []fixedIP{{SubnetID: subnetIDs[0]}}
	}
	p := &port{ID: spec.ID, Name: spec.Name, Description: spec.Description, NetworkID: spec.NetworkID,
		DeviceID: spec.DeviceID, DeviceOwner: spec.DeviceOwner, SecurityGroups: spec.SecurityGroups,
		AllowedAddressPairs: spec.AllowedAddressPairs, Tags: spec.Tags, Created: now, Updated: now, Revision: 1}
	for _, w := range wants {
		ip, err := ps.take(spec.NetworkID, w, p.ID)
		if err != nil {
			ps.release(p)
			return nil, err
		}
		p.FixedIPs = append(p.FixedIPs, ip)
	}
	ps.nextMAC++
	p.MAC = fmt.Sprintf("fa:16:3e:%02x:%02x:%02x", ps.nextMAC>>16&0xff, ps.nextMAC>>8&0xff, ps.nextMAC&0xff)
	ps.byID[p.ID] = p
	return p, nil
}

// take reserves the address w asks for, or the next free one of its subnet.
func (ps *portStore) take(networkID string, w fixedIP, portID string) (fixedIP, *apiError) {
	pool := ps.subnets[w.SubnetID]
	if w.SubnetID == "" && w.IPAddress != "" {
		pool = ps.poolFor(networkID, w.IPAddress)
	}
	if pool == nil || pool.networkID != networkID {
		return fixedIP{}, errorf(http.StatusBadRequest, "InvalidInput",
			"Invalid input for operation: Failed to create port on network %s, because fixed_ips included invalid subnet %s.", networkID, w.SubnetID)
	}
	if w.IPAddress != "" {
		addr, err := netip.ParseAddr(w.IPAddress)
		if err != nil || !pool.prefix.Contains(addr) {
			return fixedIP{}, errorf(http.StatusBadRequest, "InvalidIpForSubnet", "IP address %s is not a valid IP for the specified subnet.", w.IPAddress)
		}
		if _, taken := pool.used[addr]; taken {
			return fixedIP{}, errorf(http.StatusConflict, "IpAddressAlreadyAllocated", "IP address %s already allocated in subnet %s", w.IPAddress, pool.ID)
		}
		pool.used[addr] = portID
		return fixedIP{SubnetID: pool.ID, IPAddress: addr.String()}, nil
	}
	size := 1 << min(pool.prefix.Addr().BitLen()-pool.prefix.Bits(), 24)
	for a, tried := pool.next, 0; tried < size; a, tried = a.Next(), tried+1 {
		if !pool.prefix.Contains(a) || !pool.prefix.Contains(a.Next()) { // past the end or the broadcast address
			a = pool.prefix.Addr()
			continue
		}
		if _, taken := pool.used[a]; taken || a == pool.prefix.Addr() || a.String() == pool.GatewayIP {
			continue
		}
		pool.used[a], pool.next = portID, a.Next()
		return fixedIP{SubnetID: pool.ID, IPAddress: a.String()}, nil
	}
	return fixedIP{}, errorf(http.StatusConflict, "IpAddressGenerationFailure", "No more IP addresses available on network %s.", networkID)
}

func (ps *portStore) poolFor(networkID, ip string) *subnetPool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return nil
	}
	for _, id := range ps.nets[networkID] {
		if ps.subnets[id].prefix.Contains(addr) {
			return ps.subnets[id]
		}
	}
	return nil
}

// release frees the addresses of p. Callers hold ps.mu.
func (ps *portStore) release(p *port) {
	for _, ip := range p.FixedIPs {
		if pool := ps.subnets[ip.SubnetID]; pool != nil {
			delete(pool.used, netip.MustParseAddr(ip.IPAddress))
		}
	}
}

func (ps *portStore) get(id string) (port, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.byID[id]
	if !ok {
		return port{}, false
	}
	return p.copy(), true
}

func (ps *portStore) delete(id string) bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.byID[id]
	if ok {
		ps.release(p)
		delete(ps.byID, id)
	}
	return ok
}

// update changes a port under the store's lock.
func (ps *portStore) update(id string, now time.Time, change func(*port) *apiError) (port, *apiError) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p, ok := ps.byID[id]
	if !ok {
		return port{}, portNotFound(id)
	}
	if err := change(p); err != nil {
		return port{}, err
	}
	p.Updated = now
	p.Revision++
	return p.copy(), nil
}

// list returns copies of every port, ordered by ID.
func (ps *portStore) list() []port {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	out := make([]port, 0, len(ps.byID))
	for _, p := range ps.byID {
		out = append(out, p.copy())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (p *port) copy() port {
	c := *p
	c.FixedIPs = slices.Clone(p.FixedIPs)
	c.SecurityGroups = slices.Clone(p.SecurityGroups)
	c.AllowedAddressPairs = slices.Clone(p.AllowedAddressPairs)
	c.Tags = slices.Clone(p.Tags)
	return c
}

func portNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "PortNotFound", "Port %s could not be found.", id)
}
