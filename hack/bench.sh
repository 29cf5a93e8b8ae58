#!/usr/bin/env bash
# bench.sh runs the Go benchmarks (never timed tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
go test -run '^$' -bench . -benchmem "$@" ./...
