package conformance

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gardener/machine-controller-manager/pkg/util/provider/machinecodes/codes"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// The validation group feeds the provider's fixtures and generated
// mutations of its sample class to CreateMachine: the contract's
// INVALID_ARGUMENT row says a bad providerSpec is refused with that code
// and "exact issue to be given in .message".
var _ = describeGroup("validation", func(env func() *harness) {
	It("accepts every valid fixture [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleCreateResponse)
		fixtures, err := h.cfg.Provider.LoadFixtures()
		Expect(err).NotTo(HaveOccurred())
		n := 0
		for i, f := range fixtures {
			if !f.Valid {
				continue
			}
			n++
			r := newRequest(h, fmt.Sprintf("val-ok-%d", i), f.ProviderSpec, f.Secret)
			_, err := r.create(ctx, h)
			expectCode(err, "CreateMachine with valid fixture "+f.File, codes.OK)
		}
		if n == 0 {
			Skip("the provider has no valid-*.yaml fixtures")
		}
	})

	It("rejects every invalid fixture with InvalidArgument naming the field [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleInvalidArgument)
		fixtures, err := h.cfg.Provider.LoadFixtures()
		Expect(err).NotTo(HaveOccurred())
		n := 0
		for i, f := range fixtures {
			if f.Valid {
				continue
			}
			n++
			r := newRequest(h, fmt.Sprintf("val-bad-%d", i), f.ProviderSpec, f.Secret)
			_, err := r.create(ctx, h)
			expectCode(err, "CreateMachine with invalid fixture "+f.File, codes.InvalidArgument)
			Expect(err.Error()).To(ContainSubstring(f.WantField), "the message for invalid fixture %s must name %s", f.File, f.WantField)
		}
		if n == 0 {
			Skip("the provider has no invalid-*.yaml fixtures")
		}
	})

	It("rejects a providerSpec field of the wrong JSON type with InvalidArgument naming it [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleInvalidArgument)
		var sample map[string]any
		Expect(json.Unmarshal(h.cfg.Provider.SampleProviderSpec, &sample)).To(Succeed(), "SampleProviderSpec must be a JSON object")
		for i, key := range slices.Sorted(maps.Keys(sample)) {
			mutated := maps.Clone(sample)
			mutated[key] = wrongType(sample[key])
			raw, _ := json.Marshal(mutated)
			r := newRequest(h, fmt.Sprintf("val-type-%d", i), raw, h.cfg.Provider.SampleSecret)
			_, err := r.create(ctx, h)
			expectCode(err, fmt.Sprintf("CreateMachine with providerSpec.%s of the wrong type", key), codes.InvalidArgument)
			should(strings.Contains(err.Error(), key), "the message for a wrong-typed providerSpec.%s does not name it: %v", key, err)
		}
	})

	It("either accepts a missing providerSpec field or rejects it with InvalidArgument [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleInvalidArgument)
		var sample map[string]any
		Expect(json.Unmarshal(h.cfg.Provider.SampleProviderSpec, &sample)).To(Succeed())
		for i, key := range slices.Sorted(maps.Keys(sample)) {
			mutated := maps.Clone(sample)
			delete(mutated, key)
			raw, _ := json.Marshal(mutated)
			r := newRequest(h, fmt.Sprintf("val-missing-%d", i), raw, h.cfg.Provider.SampleSecret)
			_, err := r.create(ctx, h)
			expectCode(err, "CreateMachine without providerSpec."+key, codes.OK, codes.InvalidArgument)
			if err != nil {
				should(strings.Contains(err.Error(), key), "the message for a missing providerSpec.%s does not name it: %v", key, err)
			}
		}
	})

	It("rejects an empty secret value with InvalidArgument or Unauthenticated [MUST]", func(ctx SpecContext) {
		h := env()
		enforce(ruleInvalidArgument)
		for i, key := range slices.Sorted(maps.Keys(h.cfg.Provider.SampleSecret)) {
			secret := maps.Clone(h.cfg.Provider.SampleSecret)
			secret[key] = nil
			r := newRequest(h, fmt.Sprintf("val-secret-%d", i), h.cfg.Provider.SampleProviderSpec, secret)
			_, err := r.create(ctx, h)
			expectCode(err, "CreateMachine with an empty secret."+key, codes.OK, codes.InvalidArgument, codes.Unauthenticated)
			should(err != nil, "CreateMachine accepted an empty secret.%s", key)
			if err != nil {
				should(strings.Contains(err.Error(), key), "the message for an empty secret.%s does not name it: %v", key, err)
			}
		}
	})
})

// wrongType returns a value of another JSON type than v.
func wrongType(v any) any {
	switch v.(type) {
	case string:
		return 12345
	case float64, bool:
		return "not-a-number"
	default: // objects and arrays
		return "not-an-object"
	}
}
