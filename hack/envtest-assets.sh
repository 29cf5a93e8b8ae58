#!/usr/bin/env bash
# envtest-assets.sh prints the folder holding kube-apiserver, etcd, kubectl and
# kube-controller-manager for envtest, building them from the Go module proxy
# the first time (hack/envtest-tools pins the versions). Progress goes to
# stderr; the only line on stdout is the folder, so callers can do
#   export KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
# An existing KUBEBUILDER_ASSETS that holds kube-apiserver and etcd wins.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${root}/hack/envtest-tools"
k8s_version="$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "${tools}/go.mod")"
etcd_version="$(awk '$1=="go.etcd.io/etcd/server/v3"{print $2; exit}' "${tools}/go.mod")"
bins=(kube-apiserver etcd kubectl kube-controller-manager)

log() { echo "envtest-assets: $*" >&2; }

have_all() {
	local dir="$1" b
	for b in "$@"; do
		[[ "$b" == "$dir" ]] && continue
		[[ -x "${dir}/${b}" ]] || return 1
	done
}

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
	if have_all "${KUBEBUILDER_ASSETS}" kube-apiserver etcd; then
		echo "${KUBEBUILDER_ASSETS}"
		exit 0
	fi
	log "KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} lacks kube-apiserver or etcd; using our own build"
fi

cache="${MACHINE_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/machine-conformance}"
out="${cache}/envtest/k8s-${k8s_version}-etcd-${etcd_version}"
if have_all "${out}" "${bins[@]}"; then
	echo "${out}"
	exit 0
fi

command -v go >/dev/null || { log "go is not on PATH; install Go 1.26 or set KUBEBUILDER_ASSETS"; exit 1; }
# Several test processes may ask at once on a cold machine: build once.
mkdir -p "$(dirname "${out}")"
if command -v flock >/dev/null; then
	exec 9>"${out}.lock"
	flock 9
	if have_all "${out}" "${bins[@]}"; then
		echo "${out}"
		exit 0
	fi
fi
log "building kube-apiserver ${k8s_version}, kube-controller-manager, kubectl and etcd ${etcd_version} from the Go module proxy into ${out}"
log "this takes about 10 minutes on 2 cores the first time and is cached afterwards"
minor="$(echo "${k8s_version#v}" | cut -d. -f2)"
ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
	ldflags+=" -X ${pkg}.gitVersion=${k8s_version} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
	ldflags+=" -X ${pkg}.gitTreeState=clean"
done
tmp="${out}.tmp.$$"
rm -rf "${tmp}"
mkdir -p "${tmp}"
trap 'rm -rf "${tmp}"' EXIT
start=$SECONDS
(
	cd "${tools}"
	CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w ${ldflags}" -o "${tmp}/" \
		k8s.io/kubernetes/cmd/kube-apiserver \
		k8s.io/kubernetes/cmd/kube-controller-manager \
		k8s.io/kubernetes/cmd/kubectl \
		go.etcd.io/etcd/server/v3
)
mv "${tmp}/server" "${tmp}/etcd"
have_all "${tmp}" "${bins[@]}" || { log "build finished without all of: ${bins[*]}"; exit 1; }
rm -rf "${out}"
mv "${tmp}" "${out}"
trap - EXIT
log "built in $((SECONDS - start)) s"
echo "${out}"
