package providers

// Oracle is implemented by simulators that remember, for every VM they
// ever had, the machine name it was made for. The conformance suite's
// differential check reads it to compare the cloud each controller leaves
// behind, machine by machine; without it that part of the comparison is
// left out and the report says so.
type Oracle interface {
	// Census lists every VM the cloud ever had.
	Census() []VMRecord
}

// VMRecord is the oracle's truth about one VM.
type VMRecord struct {
	// ProviderID in the form the cloud's nodes carry.
	ProviderID string `json:"providerID"`
	// Machine is the machine name the VM was made for ("" when unknown).
	Machine string `json:"machine"`
	// Alive is true while the VM is pending or running.
	Alive bool `json:"alive"`
	// Gone is true when the cloud keeps no record of the VM any more (it
	// vanished, or was terminated long ago); a dead VM that is not gone
	// is stopped or terminated but still described.
	Gone bool `json:"gone,omitempty"`
}
