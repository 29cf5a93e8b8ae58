#!/usr/bin/env bash
# soak.sh runs the controller crash soak: SEEDS=N seeds (default 10) from 1,
# or SEED=n to replay one seed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
mkdir -p bin
go build -o bin/soak ./cmd/soak
if [[ -n "${SEED:-}" ]]; then
	exec bin/soak --seed="${SEED}"
fi
exec bin/soak --seeds="${SEEDS:-10}"
