package memory

import (
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	corev1 "k8s.io/api/core/v1"

	"github.com/machine-conformance/machine-conformance/providers"
)

// TestFixtures checks every fixture both with Validate and through the
// driver: valid ones create a VM, invalid ones are InvalidArgument naming
// the fixture's wantField.
func TestFixtures(t *testing.T) {
	t.Parallel()
	p, err := providers.Get("memory")
	if err != nil {
		t.Fatal(err)
	}
	fixtures, err := p.LoadFixtures()
	if err != nil {
		t.Fatal(err)
	}
	var valid, invalid int
	for _, f := range fixtures {
		t.Run(f.File, func(t *testing.T) {
			errs := Validate(f.ProviderSpec, f.Secret)
			if f.Valid && len(errs) > 0 {
				t.Fatalf("valid fixture rejected: %v", errs)
			}
			if !f.Valid && !hasField(errs, f.WantField) {
				t.Fatalf("want an error at %s, got %v", f.WantField, errs)
			}
			_, err := New(Options{}).CreateMachine(t.Context(), &driver.CreateMachineRequest{
				Machine: machine("m", ""), MachineClass: class(string(f.ProviderSpec)), Secret: &corev1.Secret{Data: f.Secret}})
			switch got := codeOf(t, err); {
			case f.Valid && got != codes.OK:
				t.Fatalf("create with a valid fixture: %v", err)
			case !f.Valid && got != codes.InvalidArgument:
				t.Fatalf("create with an invalid fixture: code %s, want InvalidArgument (%v)", got, err)
			case !f.Valid && !strings.Contains(messageOf(t, err), f.WantField):
				t.Fatalf("message %q does not name %s", messageOf(t, err), f.WantField)
			}
		})
		if f.Valid {
			valid++
		} else {
			invalid++
		}
	}
	if valid == 0 || invalid == 0 {
		t.Fatalf("%d valid and %d invalid fixtures; want some of each", valid, invalid)
	}
}
