#!/usr/bin/env bash
# conformance.sh PROVIDER [flags...] runs the conformance suite for PROVIDER
# on the embedded control plane. An unknown PROVIDER lists the known ones.
# CONTROLLER=mcm puts MCM's own machine controller under test (built here as
# bin/mcm-machine-controller); CONTROLLER_COMMAND=PATH puts your own
# machine-controller binary under test instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
provider="${1:-aws}"
shift || true
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
mkdir -p bin
go build -o bin/machine-conformance ./cmd/machine-conformance
args=(--provider="${provider}")
if [[ -n "${CONTROLLER_COMMAND:-}" ]]; then
	args+=(--controller-command="${CONTROLLER_COMMAND}")
elif [[ "${CONTROLLER:-reference}" == mcm ]]; then
	go build -o bin/mcm-machine-controller ./cmd/mcm-machine-controller
	args+=(--controller=mcm --report-dir="_out/conformance/${provider}-mcm")
fi
exec bin/machine-conformance "${args[@]}" "$@"
