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
go build -o bin/ ./cmd/kind-cluster
echo "kind-images: binaries built after $((SECONDS - start)) s" >&2

# image_of DIR REPO imports DIR's files as REPO:TAG unless the engine has it.
image_of() {
	local dir="$1" repo="$2" tag image
	tag="$(cd "${dir}" && sha256sum -- * | sha256sum | cut -c1-12)"
	image="${repo}:${tag}"
	if ! docker image inspect "${image}" >/dev/null 2>&1; then
		tar -C "${dir}" --owner=0 --group=0 --numeric-owner --mtime=@0 -c . |
			docker import --change 'USER 65532:65532' - "${image}" >/dev/null
		echo "kind-images: imported ${image}" >&2
	fi
	echo "${image}"
}
controller_image="$(image_of "${out}/controller" machine-conformance.local/machine-controller)"
simulator_image="$(image_of "${out}/simulator" machine-conformance.local/cloud-simulator)"

# Load what the node lacks (kind's node is a container named NAME-control-plane).
missing=()
for image in "${controller_image}" "${simulator_image}"; do
	if ! docker exec "${name}-control-plane" crictl inspecti "${image}" >/dev/null 2>&1; then
		missing+=("${image}")
	fi
done
if ((${#missing[@]} > 0)); then
	docker save -o "${out}/images.tar" "${missing[@]}"
	bin/kind-cluster load --name="${name}" --archive="${out}/images.tar"
	rm -f "${out}/images.tar"
	echo "kind-images: loaded ${missing[*]} into cluster ${name}" >&2
fi
echo "kind-images: images ready after $((SECONDS - start)) s" >&2
echo "CONTROLLER_IMAGE=${controller_image}"
echo "SIMULATOR_IMAGE=${simulator_image}"
