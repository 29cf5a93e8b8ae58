#!/usr/bin/env bash
# kind-down.sh deletes the kind cluster kind-up.sh made, then stops the
# container engine if hack/container-engine.sh started it and undoes the
# host changes that are safe to undo (kind's docker network and bridge too) (container-engine-down.sh says which it
# leaves). KIND_KEEP_ENGINE=1 keeps the engine running (for a quick kind-up).
# Usage: kind-down.sh [CLUSTER_NAME]
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
name="${1:-machine-conformance}"
kubeconfig="${kind_cache_root}/clusters/${name}.kubeconfig"

if timeout 10 docker info >/dev/null 2>&1; then
	mkdir -p "${kind_root}/bin"
	(cd "${kind_root}" && go build -o bin/ ./cmd/kind-cluster)
	"${kind_root}/bin/kind-cluster" down --name="${name}" --kubeconfig="${kubeconfig}"
	rm -f "${kubeconfig}"
	echo "kind-down: deleted cluster ${name}" >&2
	# kind's docker network (a bridge on the host) goes with the last cluster.
	if [[ "$(docker network inspect kind -f '{{len .Containers}}' 2>/dev/null)" == 0 ]]; then
		docker network rm kind >/dev/null
		echo "kind-down: host change undone: removed docker network kind (its host bridge)"
	fi
else
	echo "kind-down: no container engine answers; no cluster to delete" >&2
fi
if [[ -f "${kind_engine_state}/lib-modules-created" ]] && rmdir /lib/modules 2>/dev/null; then
	rm -f "${kind_engine_state}/lib-modules-created"
	echo "kind-down: host change undone: removed the empty /lib/modules kind-up made" >&2
fi
if [[ "${KIND_KEEP_ENGINE:-}" != 1 ]]; then
	"${kind_root}/hack/container-engine-down.sh"
fi
