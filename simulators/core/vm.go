package core

import (
	"maps"
	"time"
)

// State is a VM's lifecycle state, named as EC2 names them.
type State string

const (
	Pending      State = "pending"
	Running      State = "running"
	ShuttingDown State = "shutting-down"
	Terminated   State = "terminated"
)

// OwnerKind says how a VM came to exist, for the ownership oracle.
type OwnerKind string

const (
	// Managed VMs were launched through the API by a driver.
	Managed OwnerKind = "managed"
	// Orphan VMs were injected: they carry a cluster's identity but no machine owns them.
	Orphan OwnerKind = "orphan"
	// Foreign VMs belong to another cluster and must never be touched.
	Foreign OwnerKind = "foreign"
)

// Owner is the oracle's truth about a VM.
type Owner struct {
	Kind    OwnerKind
	Cluster string
	Machine string // the machine name the VM was launched for, if any
}

// VM is one virtual machine. Front-ends keep cloud-specific fields in Attrs.
type VM struct {
	ID           string
	Name         string // caller-chosen, unique among live VMs; "" for clouds without (see LaunchSpec.Name)
	Zone         string
	InstanceType string
	VCPUs        int
	ImageID      string
	Tags         map[string]string
	Attrs        map[string]string // front-end specific (subnet, IAM profile, ...)
	UserData     []byte
	ClientToken  string
	LaunchTime   time.Time
	Owner        Owner

	// state before lazy progression; see Cloud.stateOf.
	state      State
	stateSince time.Time
	readyAfter time.Duration // pending duration, jitter included
}

// State is the VM's state as last computed.
func (v VM) State() State { return v.state }

// StateSince is when the VM entered its state.
func (v VM) StateSince() time.Time { return v.stateSince }

func (v *VM) clone() VM {
	c := *v
	c.Tags = maps.Clone(v.Tags)
	c.Attrs = maps.Clone(v.Attrs)
	c.UserData = append([]byte(nil), v.UserData...)
	return c
}

// alive says whether the VM counts against quotas and can be acted on.
func (v *VM) alive() bool { return v.state == Pending || v.state == Running }
