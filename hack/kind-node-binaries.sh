#!/usr/bin/env bash
# kind-node-binaries.sh builds, from the Go module proxy, the binaries of the
# offline kind node image that hack/envtest-assets.sh does not already build:
# kubelet, kubeadm, kube-scheduler, kube-proxy and crictl (hack/kind-tools),
# CoreDNS (hack/kind-coredns) and our pause (cmd/kind-pause). Each set is
# cached under the kind cache folder keyed by its versions and never rebuilt.
# It prints two folders on stdout, one a line: the Kubernetes node binaries
# (with crictl), then the one holding coredns and pause.
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
log() { echo "kind-node-binaries: $*" >&2; }

have_all() {
	local dir="$1" b
	shift
	for b in "$@"; do [[ -x "${dir}/${b}" ]] || return 1; done
}

# build_into OUT MODULE_DIR LDFLAGS PACKAGE... builds the packages of the
# tools module in MODULE_DIR into OUT (through a temporary folder, so an
# interrupted build leaves no half-filled cache).
build_into() {
	local out="$1" module_dir="$2" ldflags="$3"
	shift 3
	local tmp="${out}.tmp.$$" start=$SECONDS
	rm -rf "${tmp}"
	mkdir -p "${tmp}"
	(cd "${module_dir}" && CGO_ENABLED=0 GOFLAGS=-mod=mod kind_nice go build -trimpath \
		-ldflags "-s -w ${ldflags}" -o "${tmp}/" "$@")
	rm -rf "${out}"
	mv "${tmp}" "${out}"
	log "built $* in $((SECONDS - start)) s"
}

k8s_bins="${kind_cache_root}/bin-k8s-${kind_k8s_version}-crictl-${kind_crictl_version}"
if ! have_all "${k8s_bins}" kubelet kubeadm kube-scheduler kube-proxy crictl; then
	log "building kubelet, kubeadm, kube-scheduler, kube-proxy ${kind_k8s_version} and crictl ${kind_crictl_version}; about 10 minutes on 2 cores the first time"
	minor="$(echo "${kind_k8s_version#v}" | cut -d. -f2)"
	ldflags="-X sigs.k8s.io/cri-tools/pkg/version.Version=${kind_crictl_version}"
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ldflags+=" -X ${pkg}.gitVersion=${kind_k8s_version} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
		ldflags+=" -X ${pkg}.gitTreeState=clean"
	done
	build_into "${k8s_bins}" "${kind_root}/hack/kind-tools" "${ldflags}" \
		k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubeadm \
		k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy \
		sigs.k8s.io/cri-tools/cmd/crictl
fi

addons="${kind_cache_root}/bin-coredns-${kind_coredns_version}"
if ! have_all "${addons}" coredns; then
	log "building coredns ${kind_coredns_version}; about 2 minutes on 2 cores the first time"
	build_into "${addons}" "${kind_root}/hack/kind-coredns" "" github.com/coredns/coredns
fi
# Our pause is a few lines and builds in a second: always from this tree.
(cd "${kind_root}" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${addons}/pause" ./cmd/kind-pause)

echo "${k8s_bins}"
echo "${addons}"
