#!/usr/bin/env bash
# provider-repo-kind.sh does here what .github/workflows/kind-conformance.yml
# does in a provider repository's CI, with testdata/provider-repo as the
# provider: it builds the provider's own machine-controller (MCM's app with
# its driver) into an image, loads it and our simulator's into the kind
# cluster, and runs the provider's conformance test with the
# MACHINE_CONFORMANCE_* variables, so the test deploys that image and runs
# against it (conformance.FromEnvironment).
# Usage: provider-repo-kind.sh [CLUSTER_NAME] [GINKGO_LABEL_FILTER]
# Exit code 3: no container engine.
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
cluster="${1:-machine-conformance}"
filter="${2:-driver || lifecycle}"
start=$SECONDS
kubeconfig="$("${kind_root}/hack/kind-up.sh" "${cluster}")"
images="$("${kind_root}/hack/kind-images.sh" "${cluster}")"
simulator_image="$(sed -n 's/^SIMULATOR_IMAGE=//p' <<<"${images}")"

repo="${kind_root}/testdata/provider-repo"
bin_dir="${kind_root}/_out/kind/images/provider-example"
rm -rf "${bin_dir}" && mkdir -p "${bin_dir}"
# As the provider's Dockerfile would: its own main, static.
(cd "${repo}" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -ldflags="-s -w" -o "${bin_dir}/" ./cmd/machine-controller)
controller_image="$(kind_image_of "${bin_dir}" example.com/mcm-provider-example)"
kind_load "${cluster}" "${controller_image}"
echo "provider-repo-kind: images ready after $((SECONDS - start)) s" >&2

report_dir="${kind_root}/_out/conformance/provider-example-kind"
cd "${repo}"
MACHINE_CONFORMANCE_KUBECONFIG="${kubeconfig}" \
MACHINE_CONFORMANCE_CONTROLLER=mcm \
MACHINE_CONFORMANCE_CONTROLLER_IMAGE="${controller_image}" \
MACHINE_CONFORMANCE_CONTROLLER_COMMAND=/machine-controller \
MACHINE_CONFORMANCE_SIMULATOR_IMAGE="${simulator_image}" \
MACHINE_CONFORMANCE_REPORT_DIR="${report_dir}" \
	GOFLAGS=-mod=mod go test -count=1 -timeout 20m ./test/conformance -args -ginkgo.label-filter="${filter}"
echo "provider-repo-kind: the provider's own image passed on kind after $((SECONDS - start)) s; reports in ${report_dir}" >&2
