#!/usr/bin/env bash
# kind-rbac-proof.sh proves the rbac group on a kind cluster: it deploys
# the reference controller bound to the shipped ClusterRole less "create"
# on events (a role of its own name, so the shipped one stays whole) and
# requires the rbac group's MUST spec, which reads the controller pod's
# metrics for 403 answers, to fail naming them, and nothing else to fail
# (conformance/rbac_role_test.go, subtest kind).
# Usage: kind-rbac-proof.sh [CLUSTER_NAME]. Exit code 3: no container engine.
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"
cluster="${1:-machine-conformance}"
start=$SECONDS
kubeconfig="$("${kind_root}/hack/kind-up.sh" "${cluster}")"
images="$("${kind_root}/hack/kind-images.sh" "${cluster}")"
cd "${kind_root}"
out="$(go test -v -count=1 -timeout 15m -run '^TestRBACGroupCatchesARoleMissingARule$/^kind$' ./conformance -args \
	-kind-kubeconfig="${kubeconfig}" \
	-kind-controller-image="$(sed -n 's/^CONTROLLER_IMAGE=//p' <<<"${images}")" \
	-kind-simulator-image="$(sed -n 's/^SIMULATOR_IMAGE=//p' <<<"${images}")" 2>&1)" || {
	tail -n 40 <<<"${out}" >&2
	grep -A2 'rbac_role_test.go:[0-9]*:' <<<"${out}" | cut -c1-2000 >&2 || true # the verdict, after the child's output
	exit 1
}
grep -q -- '--- PASS: TestRBACGroupCatchesARoleMissingARule/kind ' <<<"${out}" || {
	tail -n 20 <<<"${out}" >&2
	echo "kind-rbac-proof: the kind subtest did not run and pass" >&2
	exit 1
}
echo "kind-rbac-proof: the rbac group caught a ClusterRole missing a rule on kind after $((SECONDS - start)) s" >&2
