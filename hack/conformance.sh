#!/usr/bin/env bash
# conformance.sh PROVIDER [flags...] runs the conformance suite for PROVIDER
# on the embedded control plane. An unknown PROVIDER lists the known ones.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
provider="${1:-aws}"
shift || true
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
mkdir -p bin
go build -o bin/machine-conformance ./cmd/machine-conformance
exec bin/machine-conformance --provider="${provider}" "$@"
