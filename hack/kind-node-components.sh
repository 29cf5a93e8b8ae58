#!/usr/bin/env bash
# kind-node-components.sh makes the images kubeadm runs on a kind node
# (control plane, kube-proxy, CoreDNS, pause) from binaries built from the Go
# module proxy, named as `kubeadm config images list` names them, and writes
# them into one docker save archive, so the node image can preload them and
# no registry is ever asked. Each image is one layer made with docker import:
# the static binary on PATH, and for kube-proxy the iptables and conntrack
# tools it runs, with their libraries, taken from the node's base image.
# Usage: kind-node-components.sh OUT_ARCHIVE BASE_IMAGE K8S_BIN_DIR ADDON_BIN_DIR ENVTEST_DIR
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
log() { echo "kind-node-components: $*" >&2; }

out="${1:?usage: kind-node-components.sh OUT_ARCHIVE BASE_IMAGE K8S_BIN_DIR ADDON_BIN_DIR ENVTEST_DIR}"
base_image="$2" k8s_bins="$3" addons="$4" envtest="$5"

work="$(mktemp -d "${kind_cache_root}/components.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
path_env='ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin'

# iptables_userspace DIR puts into DIR the nft-backed iptables commands and
# conntrack from the base image, with every library they and the xtables
# extensions load.
iptables_userspace() {
	mkdir -p "$1"
	docker run --rm --entrypoint /bin/bash "${base_image}" -c '
		set -euo pipefail
		bins="/usr/sbin/xtables-nft-multi /usr/sbin/conntrack"
		libs="$(for f in ${bins} /usr/lib/x86_64-linux-gnu/xtables/*.so; do ldd "${f}"; done |
			awk "\$2 == \"=>\" && \$3 ~ /^\// {print \$3} \$1 ~ /^\// {print \$1}" | sort -u)"
		tar -c -h -f - ${bins} ${libs} /usr/lib/x86_64-linux-gnu/xtables 2>/dev/null
	' | tar -C "$1" -x
	local name
	for name in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
		ln -sf xtables-nft-multi "$1/usr/sbin/${name}"
	done
}

# import_image REF ROOTFS [ENTRYPOINT] makes image REF from the ROOTFS folder.
import_image() {
	local ref="$1" rootfs="$2" entrypoint="${3:-}"
	mkdir -p "${rootfs}/tmp"
	chmod 1777 "${rootfs}/tmp"
	local changes=(--change "${path_env}")
	[[ -z "${entrypoint}" ]] || changes+=(--change "ENTRYPOINT [\"${entrypoint}\"]")
	tar -C "${rootfs}" --numeric-owner --owner=0 --group=0 -c . | docker import "${changes[@]}" - "${ref}" >/dev/null
	log "made ${ref}"
}

mapfile -t refs < <("${k8s_bins}/kubeadm" config images list --kubernetes-version "${kind_k8s_version}" 2>/dev/null)
((${#refs[@]})) || { log "kubeadm config images list named no images"; exit 1; }
for ref in "${refs[@]}"; do
	name="${ref##*/}"
	name="${name%%:*}"
	tag="${ref##*:}"
	rootfs="${work}/${name}"
	mkdir -p "${rootfs}/usr/local/bin"
	case "${name}" in
	kube-apiserver | kube-controller-manager)
		cp "${envtest}/${name}" "${rootfs}/usr/local/bin/"
		import_image "${ref}" "${rootfs}" ;;
	kube-scheduler)
		cp "${k8s_bins}/${name}" "${rootfs}/usr/local/bin/"
		import_image "${ref}" "${rootfs}" ;;
	kube-proxy)
		cp "${k8s_bins}/${name}" "${rootfs}/usr/local/bin/"
		iptables_userspace "${rootfs}"
		import_image "${ref}" "${rootfs}" ;;
	etcd)
		# kubeadm tags etcd X.Y.Z-N; our etcd must be that X.Y.Z.
		[[ "${tag%-*}" == "${kind_etcd_version#v}" ]] ||
			{ log "kubeadm ${kind_k8s_version} wants etcd ${tag}, hack/envtest-tools builds ${kind_etcd_version}: align them"; exit 1; }
		cp "${envtest}/etcd" "${rootfs}/usr/local/bin/"
		import_image "${ref}" "${rootfs}" ;;
	coredns)
		[[ "${tag}" == "${kind_coredns_version}" ]] ||
			log "warning: kubeadm names coredns ${tag}; hack/kind-coredns builds ${kind_coredns_version} (tagged ${tag})"
		cp "${addons}/coredns" "${rootfs}/coredns"
		import_image "${ref}" "${rootfs}" /coredns ;;
	pause)
		cp "${addons}/pause" "${rootfs}/pause"
		import_image "${ref}" "${rootfs}" /pause ;;
	*)
		log "kubeadm wants ${ref}, which this script cannot make"
		exit 1 ;;
	esac
done
docker save -o "${out}.tmp" "${refs[@]}"
mv "${out}.tmp" "${out}"
# The archive is what the node image needs; the host engine keeps none.
docker rmi "${refs[@]}" >/dev/null
log "wrote ${out} ($(du -sh "${out}" | cut -f1)): ${refs[*]}"
