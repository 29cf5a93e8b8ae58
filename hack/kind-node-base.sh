#!/usr/bin/env bash
# kind-node-base.sh makes the base image of the offline kind node image, what
# kind's images/base Dockerfile makes from a registry, here without one:
#   - a Debian root filesystem from debootstrap with systemd, iptables and
#     nftables, conntrack, Debian's containerd and runc and its CNI plugins;
#   - kind's own base files (entrypoint, systemd units, containerd config...)
#     read from the kind module in the Go module cache, never copied into
#     this repository; then the same clean-up and unit set-up kind does;
#   - our changes for this sandbox and for having no registry: containerd
#     with restrict_oom_score_adj = true and our pause image as sandbox, a
#     bridge CNI config of ours (hack/kind-node/), Debian's CNI plugins where
#     containerd looks for them.
# It prints the image name on stdout. The image is cached as a docker save
# tarball keyed by versions; a later run loads it or does nothing.
# Usage: kind-node-base.sh PAUSE_IMAGE
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
log() { echo "kind-node-base: $*" >&2; }

pause_image="${1:?usage: kind-node-base.sh PAUSE_IMAGE (the sandbox image containerd runs)}"
base_key="base-${kind_debian_suite}-kind-${kind_module_version}-r${kind_node_recipe}"
base_image="machine-conformance.local/kind-base:${kind_debian_suite}-kind-${kind_module_version}-r${kind_node_recipe}"
base_tarball="${kind_cache_root}/${base_key}/base-image.tar"

if docker image inspect "${base_image}" >/dev/null 2>&1; then
	echo "${base_image}"
	exit 0
fi
if [[ -f "${base_tarball}" ]]; then
	log "loading ${base_tarball}"
	docker load -i "${base_tarball}" >&2
	echo "${base_image}"
	exit 0
fi

kind_files="$(cd "${kind_root}" && go mod download -json "sigs.k8s.io/kind@${kind_module_version}" | jq -r .Dir)/images/base/files"
[[ -f "${kind_files}/usr/local/bin/entrypoint" ]] ||
	{ log "kind's base files are missing at ${kind_files} (go mod download sigs.k8s.io/kind@${kind_module_version})"; exit 1; }
if ! command -v debootstrap >/dev/null; then
	log "installing debootstrap from Debian"
	kind_nice apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive kind_nice apt-get install -y -qq --no-install-recommends debootstrap >&2
	# stdout carries only the image's name: the caller reads it.
	echo "kind-node-base: host change: installed package debootstrap" >&2
	mkdir -p "${kind_engine_state}"
	echo "$(date -u +%FT%TZ) installed packages: debootstrap (for the node image)" >>"${kind_engine_state}/changes.log"
fi
mirror="$(awk '/^URIs:/ && $2 ~ /debian$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

mkdir -p "$(dirname "${base_tarball}")"
work="$(mktemp -d "${kind_cache_root}/base-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
tree="${work}/rootfs"
packages=(
	systemd dbus ca-certificates procps jq bash util-linux mount kmod
	conntrack iptables nftables iproute2 ethtool libseccomp2
	containerd runc containernetworking-plugins
)
log "debootstrap ${kind_debian_suite} from ${mirror} into ${tree}"
start=$SECONDS
kind_nice debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
	"${kind_debian_suite}" "${tree}" "${mirror}" >"${work}/debootstrap.log" 2>&1 ||
	{ tail -n 20 "${work}/debootstrap.log" >&2; log "debootstrap failed (log above)"; exit 1; }
log "debootstrap took $((SECONDS - start)) s"

# kind's base files, with the modes kind's Dockerfile gives them.
install -m 0755 "${kind_files}"/usr/local/bin/* "${tree}/usr/local/bin/"
mkdir -p "${tree}/kind/bin" "${tree}/LICENSES" "${tree}/etc/containerd" "${tree}/etc/sysctl.d" \
	"${tree}/etc/systemd/system/kubelet.service.d" "${tree}/etc/kubernetes/manifests"
install -m 0644 "${kind_files}"/kind/*.txt "${tree}/kind/"
install -m 0755 "${kind_files}"/kind/bin/* "${tree}/kind/bin/"
install -m 0644 "${kind_files}"/LICENSES/* "${tree}/LICENSES/"
install -m 0644 "${kind_files}"/etc/crictl.yaml "${tree}/etc/"
install -m 0644 "${kind_files}"/etc/containerd/* "${tree}/etc/containerd/"
install -m 0644 "${kind_files}"/etc/default/* "${tree}/etc/default/"
install -m 0644 "${kind_files}"/etc/sysctl.d/* "${tree}/etc/sysctl.d/"
find "${kind_files}/etc/systemd/system" -maxdepth 1 -type f -exec install -m 0644 {} "${tree}/etc/systemd/system/" \;
install -m 0644 "${kind_files}"/etc/systemd/system/kubelet.service.d/* "${tree}/etc/systemd/system/kubelet.service.d/"

# This sandbox: a negative oom_score_adj needs CAP_SYS_RESOURCE, which no
# process here holds. No registry: the sandbox image is the one we preload.
config="${tree}/etc/containerd/config.toml"
grep -q '^ *restrict_oom_score_adj = false' "${config}" ||
	{ log "${config} (from kind ${kind_module_version}) has no 'restrict_oom_score_adj = false' line to turn on"; exit 1; }
sed -i -e 's/^\( *restrict_oom_score_adj = \)false/\1true/' \
	-e "s|^\( *sandbox_image = \).*|\1\"${pause_image}\"|" "${config}"
# containerd's spec for CRI containers, as kind derives it.
ctr oci spec | jq '.hooks.createContainer[.hooks.createContainer | length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' |
	jq 'del(.process.rlimits)' >"${tree}/etc/containerd/cri-base.json"
# kind's units expect its own builds under /usr/local; Debian's are elsewhere.
ln -sf /usr/bin/containerd "${tree}/usr/local/bin/containerd"
mkdir -p "${tree}/opt/cni" "${tree}/etc/cni/net.d"
ln -sfn /usr/lib/cni "${tree}/opt/cni/bin"
install -m 0644 "${kind_root}/hack/kind-node/10-machine-conformance-bridge.conflist" "${tree}/etc/cni/net.d/"

# The clean-up and unit set-up of kind's Dockerfile.
find "${tree}/lib/systemd/system/sysinit.target.wants/" -name systemd-tmpfiles-setup.service -delete
rm -f "${tree}"/lib/systemd/system/multi-user.target.wants/* "${tree}"/etc/systemd/system/*.wants/* \
	"${tree}"/lib/systemd/system/local-fs.target.wants/* "${tree}"/lib/systemd/system/sockets.target.wants/*udev* \
	"${tree}"/lib/systemd/system/sockets.target.wants/*initctl* "${tree}"/lib/systemd/system/basic.target.wants/*
echo "ReadKMsg=no" >>"${tree}/etc/systemd/journald.conf"
ln -sf /usr/lib/systemd/systemd "${tree}/sbin/init"
chroot "${tree}" systemctl enable kubelet.service containerd.service undo-mount-hacks.service >&2
chroot "${tree}" systemctl mask systemd-binfmt.service >&2
rm -rf "${tree}"/var/cache/apt/archives/*.deb "${tree}"/var/lib/apt/lists/* \
	"${tree}"/usr/share/doc "${tree}"/usr/share/man "${tree}"/usr/share/locale

log "importing ${base_image}"
tar -C "${tree}" --numeric-owner -c . | kind_nice docker import \
	--change 'ENV container=docker' \
	--change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' \
	- "${base_image}" >&2
kind_nice docker save -o "${base_tarball}.tmp" "${base_image}"
mv "${base_tarball}.tmp" "${base_tarball}"
log "cached ${base_tarball} ($(du -sh "${base_tarball}" | cut -f1)); built in $((SECONDS - start)) s"
echo "${base_image}"
