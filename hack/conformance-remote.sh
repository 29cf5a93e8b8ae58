#!/usr/bin/env bash
# conformance-remote.sh runs the conformance suite (aws) against a
# cloud-simulator in another process, steered only through its control
# API (machine-conformance --simulator-endpoint), as a simulator in a
# cluster would be. Nodes come from the harness's kubelet stand-in, which
# follows the VMs through the simulator's oracle.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
mkdir -p bin _out
go build -o bin/cloud-simulator ./cmd/cloud-simulator
go build -o bin/machine-conformance ./cmd/machine-conformance
banner="_out/cloud-simulator.env"
bin/cloud-simulator --pending-for=500ms >"${banner}" &
sim=$!
trap 'kill "${sim}" 2>/dev/null || true; wait "${sim}" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	grep -q '^export AWS_ENDPOINT_URL_EC2=' "${banner}" && break
	kill -0 "${sim}" 2>/dev/null || { echo "conformance-remote: cloud-simulator exited:" >&2; cat "${banner}" >&2; exit 1; }
	sleep 0.1
done
endpoint="$(sed -n 's/^export AWS_ENDPOINT_URL_EC2=//p' "${banner}")"
[[ -n "${endpoint}" ]] || { echo "conformance-remote: cloud-simulator printed no EC2 endpoint" >&2; exit 1; }
echo "conformance-remote: steering the simulator at ${endpoint} through ${endpoint}/_simulator/" >&2
bin/machine-conformance --provider=aws --simulator-endpoint="${endpoint}" --report-dir=_out/conformance/aws-remote "$@"
