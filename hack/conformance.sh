#!/usr/bin/env bash
# conformance.sh PROVIDER [flags...] runs the conformance suite for PROVIDER
# on the embedded control plane. An unknown PROVIDER lists the known ones.
# CONTROLLER=mcm puts MCM's own machine controller under test (built here as
# bin/mcm-machine-controller); CONTROLLER_COMMAND=PATH puts your own
# machine-controller binary under test instead.
# CLUSTER=kind runs the same suite on a kind cluster instead (made or reused
# by kind-up.sh, KIND_CLUSTER names it), with the controller and the
# simulator deployed there from images built by kind-images.sh. Exit code 3:
# no container engine here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
provider="${1:-aws}"
shift || true
mkdir -p bin
args=(--provider="${provider}")
case "${CLUSTER:-envtest}" in
envtest)
	KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
	export KUBEBUILDER_ASSETS
	;;
kind)
	[[ -z "${CONTROLLER_COMMAND:-}" ]] || { echo "conformance: CONTROLLER_COMMAND runs a local process; on CLUSTER=kind the controller runs from an image" >&2; exit 2; }
	cluster="${KIND_CLUSTER:-machine-conformance}"
	kubeconfig="$(hack/kind-up.sh "${cluster}")" # exits 3 without an engine
	with_mcm=0
	[[ "${CONTROLLER:-reference}" == mcm ]] && with_mcm=1
	images="$(WITH_MCM="${with_mcm}" hack/kind-images.sh "${cluster}")"
	args+=(--kubeconfig="${kubeconfig}"
		--controller-image="$(sed -n 's/^CONTROLLER_IMAGE=//p' <<<"${images}")"
		--simulator-image="$(sed -n 's/^SIMULATOR_IMAGE=//p' <<<"${images}")")
	suffix="-kind"
	;;
*)
	echo "conformance: CLUSTER=${CLUSTER}: want envtest (the default) or kind" >&2
	exit 2
	;;
esac
go build -o bin/machine-conformance ./cmd/machine-conformance
if [[ -n "${CONTROLLER_COMMAND:-}" ]]; then
	args+=(--controller-command="${CONTROLLER_COMMAND}")
elif [[ "${CONTROLLER:-reference}" == mcm ]]; then
	[[ "${CLUSTER:-envtest}" == kind ]] || go build -o bin/mcm-machine-controller ./cmd/mcm-machine-controller
	args+=(--controller=mcm --report-dir="_out/conformance/${provider}-mcm${suffix:-}")
elif [[ -n "${suffix:-}" ]]; then
	args+=(--report-dir="_out/conformance/${provider}${suffix}")
fi
exec bin/machine-conformance "${args[@]}" "$@"
