package memory

import (
	"context"
	"embed"
	"encoding/json"
	"io/fs"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/driver"

	"github.com/machine-conformance/machine-conformance/providers"
)

//go:embed testdata/*.yaml
var testdata embed.FS

// EnvToken, when set in the driver's environment, replaces DefaultToken.
const EnvToken = "MEMORY_TOKEN"

func init() {
	fixtures, err := fs.Sub(testdata, "testdata")
	if err != nil {
		panic(err)
	}
	providers.Register(providers.Provider{
		Name:        "memory",
		Description: "in-memory reference provider (no cloud, no wire protocol)",
		NewDriver: func(_ context.Context, env map[string]string) (driver.Driver, error) {
			return New(Options{Token: env[EnvToken]}), nil
		},
		SampleProviderSpec:  json.RawMessage(`{"cluster":"conformance","size":"small"}`),
		SampleSecret:        map[string][]byte{SecretToken: []byte(DefaultToken), SecretUserData: []byte("#cloud-config\n")},
		ForeignProviderSpec: json.RawMessage(`{"cluster":"someone-else","size":"small"}`),
		Fixtures:            fixtures,
	})
}
