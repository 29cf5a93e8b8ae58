#!/usr/bin/env bash
# kind-up.sh creates, or reuses when it still answers, the kind cluster the
# kind tier runs on: it makes sure a container engine works
# (container-engine.sh), that the offline node image is there
# (kind-node-image.sh; KIND_NODE_IMAGE=IMAGE uses another, such as kind's
# default where a registry is reachable), then runs `kind-cluster up`.
# The cluster's kubeconfig is written to the file it prints.
# Usage: kind-up.sh [CLUSTER_NAME]   Exit code 3: no container engine here.
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
name="${1:-machine-conformance}"
kubeconfig="${kind_cache_root}/clusters/${name}.kubeconfig"
start=$SECONDS

# stdout carries only the kubeconfig path: everything else goes to stderr.
"${kind_root}/hack/container-engine.sh" >&2
if [[ -n "${KIND_NODE_IMAGE:-}" ]]; then
	image_flags=(--node-image="${KIND_NODE_IMAGE}")
else
	image_flags=(--node-image="$("${kind_root}/hack/kind-node-image.sh")" --node-image-has-cni)
fi
# kind bind-mounts the host's /lib/modules into its nodes; where the host has
# none (this sandbox's kernel is built without modules), docker would make it.
if [[ ! -e /lib/modules ]]; then
	mkdir -p /lib/modules
	echo created >"${kind_engine_state}/lib-modules-created"
	echo "kind-up: host change: created an empty /lib/modules (kind mounts it into its nodes)" >&2
fi
mkdir -p "${kind_root}/bin" "$(dirname "${kubeconfig}")"
(cd "${kind_root}" && go build -o bin/ ./cmd/kind-cluster)
"${kind_root}/bin/kind-cluster" up --name="${name}" --kubeconfig="${kubeconfig}" "${image_flags[@]}" >&2
echo "kind-up: cluster ${name} ready in $((SECONDS - start)) s; export KUBECONFIG=${kubeconfig}" >&2
echo "${kubeconfig}"
