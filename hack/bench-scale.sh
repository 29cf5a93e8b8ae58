#!/usr/bin/env bash
# bench-scale.sh N [flags...] times a MachineSet of N machines to Running
# and back to none (cmd/bench-scale) and prints its "scale:" line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-100}"
shift || true
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
mkdir -p bin
go build -o bin/bench-scale ./cmd/bench-scale
exec bin/bench-scale --n="${n}" "$@"
