#!/usr/bin/env bash
# kind-node-image.sh makes sure the offline kind node image exists in the
# local Docker engine and prints its name on stdout (progress on stderr).
# In order of cost: the image is already there (nothing to do); its cached
# docker save tarball exists (docker load, seconds); else it is built with no
# registry, as kind's `build node-image` would, from
#   - the base image of hack/kind-node-base.sh (debootstrap + kind's files),
#   - kubelet, kubeadm, crictl (hack/kind-node-binaries.sh) and kubectl
#     (hack/envtest-assets.sh), all built from the Go module proxy,
#   - the component images of hack/kind-node-components.sh, preloaded into
#     the node's containerd,
# and saved under the kind cache folder keyed by every version that goes in.
# Heavy steps run at the lowest CPU and I/O priority. Exit code 3: no
# container engine here (from hack/container-engine.sh).
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
log() { echo "kind-node-image: $*" >&2; }

"${kind_root}/hack/container-engine.sh" >&2

if docker image inspect "${kind_node_image}" >/dev/null 2>&1; then
	echo "${kind_node_image}"
	exit 0
fi
if [[ -f "${kind_node_tarball}" ]]; then
	start=$SECONDS
	kind_nice docker load -i "${kind_node_tarball}" >&2
	log "loaded ${kind_node_tarball} in $((SECONDS - start)) s"
	echo "${kind_node_image}"
	exit 0
fi

mkdir -p "${kind_node_cache}"
# Two callers on a cold machine: the second waits and then finds the image.
exec 9>"${kind_node_cache}.lock"
flock 9
if docker image inspect "${kind_node_image}" >/dev/null 2>&1; then
	echo "${kind_node_image}"
	exit 0
fi
timing() { echo "$1 $2" >>"${kind_node_cache}/build-times.txt"; log "$1 took $2 s"; }
start=$SECONDS

envtest="$("${kind_root}/hack/envtest-assets.sh")"
mapfile -t bin_dirs < <("${kind_root}/hack/kind-node-binaries.sh")
k8s_bins="${bin_dirs[0]}" addons="${bin_dirs[1]}"
timing binaries $((SECONDS - start))

step=$SECONDS
pause_ref="$("${k8s_bins}/kubeadm" config images list --kubernetes-version "${kind_k8s_version}" 2>/dev/null | grep /pause:)"
base_image="$("${kind_root}/hack/kind-node-base.sh" "${pause_ref}")"
[[ "${base_image}" =~ ^[a-z0-9./_:-]+$ ]] ||
	{ log "hack/kind-node-base.sh printed more than an image name on stdout: ${base_image}"; exit 1; }
timing base-image $((SECONDS - step))

step=$SECONDS
components="${kind_node_cache}/components.tar"
[[ -f "${components}" ]] ||
	"${kind_root}/hack/kind-node-components.sh" "${components}" "${base_image}" "${k8s_bins}" "${addons}" "${envtest}"
timing component-images $((SECONDS - step))

step=$SECONDS
log "assembling ${kind_node_image} from ${base_image}"
build="$(docker run -d --privileged --entrypoint sleep "${base_image}" infinity)"
trap 'docker rm -f "${build}" >/dev/null 2>&1 || true' EXIT
for b in kubelet kubeadm; do docker cp "${k8s_bins}/${b}" "${build}:/usr/bin/${b}"; done
docker cp "${envtest}/kubectl" "${build}:/usr/bin/kubectl"
docker cp "${k8s_bins}/crictl" "${build}:/usr/local/bin/crictl"
docker exec "${build}" mkdir -p /kind/manifests
docker cp "${kind_root}/hack/kind-node/default-cni.yaml" "${build}:/kind/manifests/default-cni.yaml"
printf '%s' "${kind_k8s_version}" | docker exec -i "${build}" sh -c 'cat >/kind/version'

# Preload the component images into the node's containerd, as kind does.
docker exec -d "${build}" sh -c 'containerd >/var/log/containerd-build.log 2>&1'
for ((i = 0; i < 60; i++)); do
	docker exec "${build}" ctr version >/dev/null 2>&1 && break
	sleep 0.5
done
kind_nice docker exec -i "${build}" ctr -n k8s.io images import --all-platforms --no-unpack --digests - <"${components}" >&2
docker exec "${build}" ctr -n k8s.io images ls -q >&2
docker exec "${build}" sh -c 'kill $(pidof containerd); while pidof containerd >/dev/null; do sleep 0.2; done; rm -f /var/log/containerd-build.log'

committed="${kind_node_image}-unsealed"
kind_nice docker commit \
	--change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
	--change 'ENV container=docker' \
	"${build}" "${committed}" >/dev/null
# systemd exits on SIGRTMIN+3; docker commit cannot set STOPSIGNAL.
printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\n' "${committed}" |
	DOCKER_BUILDKIT=0 kind_nice docker build -q -t "${kind_node_image}" - >/dev/null
docker rmi "${committed}" >/dev/null
timing assemble $((SECONDS - step))

step=$SECONDS
kind_nice docker save -o "${kind_node_tarball}.tmp" "${kind_node_image}"
mv "${kind_node_tarball}.tmp" "${kind_node_tarball}"
rm -f "${components}"
timing save $((SECONDS - step))
log "built ${kind_node_image} in $((SECONDS - start)) s; cached $(du -sh "${kind_node_tarball}" | cut -f1) at ${kind_node_tarball}"
echo "${kind_node_image}"
