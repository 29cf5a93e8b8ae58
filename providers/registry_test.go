package providers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"
)

func TestRegistry(t *testing.T) {
	newDriver := func(context.Context, map[string]string) (driver.Driver, error) { return nil, nil }
	Register(Provider{Name: "zz-test-b", NewDriver: newDriver})
	Register(Provider{Name: "zz-test-a", NewDriver: newDriver})

	if p, err := Get("zz-test-a"); err != nil || p.Name != "zz-test-a" {
		t.Fatalf("Get(zz-test-a) = %v, %v", p.Name, err)
	}
	_, err := Get("nope")
	if !errors.Is(err, ErrUnknownProvider) {
		t.Fatalf("Get(nope) error %v does not wrap ErrUnknownProvider", err)
	}
	if !strings.Contains(err.Error(), "zz-test-a, zz-test-b") {
		t.Errorf("error %q does not list the known providers in order", err)
	}

	for _, tc := range []struct {
		name string
		p    Provider
	}{
		{"empty name", Provider{NewDriver: newDriver}},
		{"no driver", Provider{Name: "zz-test-c"}},
		{"duplicate", Provider{Name: "zz-test-a", NewDriver: newDriver}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%s) did not panic", tc.name)
				}
			}()
			Register(tc.p)
		})
	}
}
