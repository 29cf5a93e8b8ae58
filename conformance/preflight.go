package conformance

import (
	"context"
	"fmt"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"

	"github.com/machine-conformance/machine-conformance/internal/machinecode"
)

// CredentialsRefusedError says the driver refused the provider's sample
// class and Secret before any spec ran. Every spec calls the driver with
// those credentials, so the suite stops at once instead of letting each
// spec wait out its timeouts.
type CredentialsRefusedError struct {
	Provider string
	Call     string // the read-only call that was refused
	Message  string // the driver's own explanation
}

func (e *CredentialsRefusedError) Error() string {
	return fmt.Sprintf("the %s driver refused the provider's sample class and Secret before any spec ran: "+
		"%s answered Unauthenticated (%q). Every spec calls the driver with these credentials, so the suite stops here; "+
		"check the Secret's keys and values and the endpoint the driver talks to (its environment)",
		e.Provider, e.Call, e.Message)
}

// checkSampleCredentials asks the driver one read-only question with the
// sample class and Secret: ListMachines, or, where that is Unimplemented,
// GetMachineStatus of a VM that does not exist. Only Unauthenticated stops
// the suite: any other answer is for the specs to judge.
func checkSampleCredentials(ctx context.Context, h *harness) error {
	r := sampleRequest(h, "preflight-credentials")
	call := "ListMachines"
	_, err := r.list(ctx, h)
	if code, _ := machinecode.Of(err); code == codes.Unimplemented {
		call = "GetMachineStatus of a VM that does not exist"
		_, err = r.status(ctx, h)
	}
	if code, _ := machinecode.Of(err); code != codes.Unauthenticated {
		return nil
	}
	return &CredentialsRefusedError{Provider: h.cfg.Provider.Name, Call: call, Message: machinecode.Message(err)}
}
