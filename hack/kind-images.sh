#!/usr/bin/env bash
# kind-images.sh builds our images from our own static binaries (no base
# image, no registry) and loads them into the kind cluster:
#   machine-conformance.local/machine-controller:TAG  /machine-controller
#       (and /mcm-machine-controller when WITH_MCM=1)
#   machine-conformance.local/cloud-simulator:TAG     /cloud-simulator
# TAG is a digest of the binaries, so a changed binary is a new image and a
# Deployment that names it rolls. Images the engine or the node already
# has are neither imported nor loaded again.
# Usage: kind-images.sh [CLUSTER_NAME]. Prints, on stdout only:
#   CONTROLLER_IMAGE=...
#   SIMULATOR_IMAGE=...
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
name="${1:-machine-conformance}"
out="${kind_root}/_out/kind/images"
mkdir -p "${out}/controller" "${out}/simulator" "${kind_root}/bin"
start=$SECONDS

cd "${kind_root}"
controller_cmds=(./cmd/machine-controller)
[[ "${WITH_MCM:-0}" == 1 ]] && controller_cmds+=(./cmd/mcm-machine-controller)
rm -f "${out}/controller/"*
# Static: the images hold nothing but these files. CGO_ENABLED=0 builds are
# cached apart from the host's, so the first one compiles for minutes.
CGO_ENABLED=0 go build -ldflags="-s -w" -o "${out}/controller/" "${controller_cmds[@]}"
CGO_ENABLED=0 go build -ldflags="-s -w" -o "${out}/simulator/" ./cmd/cloud-simulator
echo "kind-images: binaries built after $((SECONDS - start)) s" >&2

controller_image="$(kind_image_of "${out}/controller" machine-conformance.local/machine-controller)"
simulator_image="$(kind_image_of "${out}/simulator" machine-conformance.local/cloud-simulator)"

kind_load "${name}" "${controller_image}" "${simulator_image}"
echo "kind-images: images ready after $((SECONDS - start)) s" >&2
echo "CONTROLLER_IMAGE=${controller_image}"
echo "SIMULATOR_IMAGE=${simulator_image}"
