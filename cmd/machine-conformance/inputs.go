package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/machine-conformance/machine-conformance/conformance"
)

// readEnvFile reads KEY=VALUE lines; blank lines and # comments are skipped.
// Errors name the file and line.
func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(text, "export "), "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE, got %q", path, line, text)
		}
		env[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return env, sc.Err()
}

// readSpecFile reads a providerSpec as YAML or JSON and returns JSON.
func readSpecFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := yaml.Unmarshal(data, &obj); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if obj == nil {
		return nil, fmt.Errorf("%s: empty providerSpec", path)
	}
	return yaml.YAMLToJSON(data)
}

// readSecretFile reads a flat YAML map of secret keys to string values.
func readSecretFile(path string) (map[string][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var values map[string]string
	if err := yaml.UnmarshalStrict(data, &values); err != nil {
		return nil, fmt.Errorf("%s: want a map of secret keys to strings: %w", path, err)
	}
	out := make(map[string][]byte, len(values))
	for k, v := range values {
		out[k] = []byte(v)
	}
	return out, nil
}

// applyInputs replaces the provider's samples with the user's files, for
// runs against a real cloud.
func applyInputs(cfg *conformance.Config, envFile, specFile, secretFile string, noSimulator bool) error {
	var err error
	if envFile != "" {
		if cfg.Env, err = readEnvFile(envFile); err != nil {
			return fmt.Errorf("--env-file: %w", err)
		}
	}
	if specFile != "" {
		if cfg.Provider.SampleProviderSpec, err = readSpecFile(specFile); err != nil {
			return fmt.Errorf("--provider-spec: %w", err)
		}
		cfg.Provider.ForeignProviderSpec = nil // we cannot guess another cluster's spec
	}
	if secretFile != "" {
		if cfg.Provider.SampleSecret, err = readSecretFile(secretFile); err != nil {
			return fmt.Errorf("--secret-file: %w", err)
		}
	}
	if noSimulator {
		cfg.Provider.NewSimulator = nil
	}
	return nil
}
