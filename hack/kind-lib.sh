# kind-lib.sh is sourced by the hack/ scripts of the kind tier
# (container-engine.sh, kind-node-image.sh, kind-up.sh, kind-down.sh). It
# names the versions and the cache folders they share; it runs nothing.
# shellcheck shell=bash

kind_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kind_cache_root="${MACHINE_CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/machine-conformance}/kind"
# What container-engine.sh started and changed on this host, and its logs.
kind_engine_state="${kind_cache_root}/engine"

# Versions. Kubernetes follows hack/envtest-tools (the node image reuses its
# kube-apiserver, kube-controller-manager, kubectl and etcd); kind follows
# go.mod; crictl follows hack/kind-tools; coredns follows hack/kind-coredns.
# module_version MODULE GO_MOD prints the version GO_MOD requires of MODULE,
# whether the requirement stands on its own line or in a block.
module_version() {
	awk -v module="$1" '$1 == "require" {$1 = ""; $0 = $0} $1 == module {print $2; exit}' "$2"
}
kind_k8s_version="$(module_version k8s.io/kubernetes "${kind_root}/hack/envtest-tools/go.mod")"
kind_etcd_version="$(module_version go.etcd.io/etcd/server/v3 "${kind_root}/hack/envtest-tools/go.mod")"
kind_crictl_version="$(module_version sigs.k8s.io/cri-tools "${kind_root}/hack/kind-tools/go.mod")"
kind_coredns_version="$(module_version github.com/coredns/coredns "${kind_root}/hack/kind-coredns/go.mod")"
kind_module_version="$(module_version sigs.k8s.io/kind "${kind_root}/go.mod")"
for v in kind_k8s_version kind_etcd_version kind_crictl_version kind_coredns_version kind_module_version; do
	[[ -n "${!v}" ]] || { echo "kind-lib: ${v} is empty: a go.mod under ${kind_root} lost the module it names" >&2; exit 1; }
done
kind_debian_suite=bookworm
# Bump when the node image recipe changes, so caches keyed by it rebuild.
kind_node_recipe=1

# The node image's name, and the docker save tarball that caches it.
kind_node_image="machine-conformance.local/kind-node:${kind_k8s_version}-r${kind_node_recipe}"
kind_node_key="k8s-${kind_k8s_version}-etcd-${kind_etcd_version}-crictl-${kind_crictl_version}-coredns-${kind_coredns_version}-kind-${kind_module_version}-${kind_debian_suite}-r${kind_node_recipe}"
kind_node_cache="${kind_cache_root}/${kind_node_key}"
kind_node_tarball="${kind_node_cache}/node-image.tar"

# kind_nice runs a heavy command at the lowest CPU and I/O priority, so it
# does not disturb benchmarks running on the same machine.
kind_nice() {
	if command -v ionice >/dev/null; then
		nice -n 19 ionice -c3 "$@"
	else
		nice -n 19 "$@"
	fi
}

# kind_image_of DIR REPO makes the files of DIR (static binaries) an image
# REPO:TAG with no base, TAG a digest of the files, unless the engine has
# it already; it prints REPO:TAG.
kind_image_of() {
	local dir="$1" repo="$2" tag image
	tag="$(cd "${dir}" && sha256sum -- * | sha256sum | cut -c1-12)"
	image="${repo}:${tag}"
	if ! docker image inspect "${image}" >/dev/null 2>&1; then
		tar -C "${dir}" --owner=0 --group=0 --numeric-owner --mtime=@0 -c . |
			docker import --change 'USER 65532:65532' - "${image}" >/dev/null
		echo "kind-images: imported ${image}" >&2
		# Earlier builds of REPO go, so the engine keeps one per repository
		# (an image a container still uses stays).
		docker images "${repo}" --format '{{.Repository}}:{{.Tag}}' | grep -vxF "${image}" |
			xargs -r docker rmi >/dev/null 2>&1 || true
	fi
	echo "${image}"
}

# kind_load CLUSTER IMAGE... loads into the cluster's node the images it
# lacks (kind's node is the container CLUSTER-control-plane).
kind_load() {
	local cluster="$1" image archive
	shift
	local missing=()
	for image in "$@"; do
		if ! docker exec "${cluster}-control-plane" crictl inspecti "${image}" >/dev/null 2>&1; then
			missing+=("${image}")
		fi
	done
	((${#missing[@]} > 0)) || return 0
	archive="$(mktemp "${TMPDIR:-/tmp}/kind-images.XXXXXX.tar")"
	docker save -o "${archive}" "${missing[@]}"
	(cd "${kind_root}" && go build -o bin/ ./cmd/kind-cluster)
	"${kind_root}/bin/kind-cluster" load --name="${cluster}" --archive="${archive}"
	rm -f "${archive}"
	echo "kind-images: loaded ${missing[*]} into cluster ${cluster}" >&2
}
