#!/usr/bin/env bash
# kind-dev.sh is the local loop (`make dev`): it makes or reuses the kind
# cluster, rebuilds the controller and simulator images from the working
# tree, loads what changed into the cluster, and rolls the controller
# Deployment in namespace machine-conformance-dev onto them, waiting until
# it runs. Edit, `make dev`, watch: kubectl -n machine-conformance-dev logs deploy/machine-controller
# Usage: kind-dev.sh PROVIDER [CLUSTER_NAME]   Exit code 3: no container engine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
provider="${1:-aws}"
cluster="${2:-machine-conformance}"
start=$SECONDS
kubeconfig="$(hack/kind-up.sh "${cluster}")"
images="$(hack/kind-images.sh "${cluster}")"
go build -o bin/ ./cmd/deploy-controller
bin/deploy-controller --kubeconfig="${kubeconfig}" --provider="${provider}" \
	--controller-image="$(sed -n 's/^CONTROLLER_IMAGE=//p' <<<"${images}")" \
	--simulator-image="$(sed -n 's/^SIMULATOR_IMAGE=//p' <<<"${images}")" \
	${DEV_CONTROLLER_ARGS:+--controller-args="${DEV_CONTROLLER_ARGS}"}
echo "dev: the controller runs the working tree's build after $((SECONDS - start)) s; KUBECONFIG=${kubeconfig}" >&2
