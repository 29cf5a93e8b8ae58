#!/usr/bin/env bash
# provider-repo.sh plays an MCM provider repository that adopts this module
# (testdata/provider-repo): its machine-controller main, built on MCM's
# pkg/util/provider/app, must build and vet with our dependencies, and its
# ~15-line conformance test must run (the driver group, against the EC2
# simulator). A Kubernetes line that breaks MCM's build fails here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-$("${root}/hack/envtest-assets.sh")}"
export KUBEBUILDER_ASSETS
cd "${root}/testdata/provider-repo"
# -mod=mod: the module follows ours through a replace, so its go.sum may lag
# a dependency we just added; what matters here is that it builds.
export GOFLAGS=-mod=mod
# Versions follow MCM: adopting our module must keep the provider on the
# Kubernetes minor line MCM's release pins (k8s.io/client-go in its go.mod).
mcm_mod="$(go mod download -json github.com/gardener/machine-controller-manager | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
want="$(awk '$1=="k8s.io/client-go"{print $2; exit}' "${mcm_mod}" | cut -d. -f1,2)"
got="$(go list -m -f '{{.Version}}' k8s.io/client-go | cut -d. -f1,2)"
if [[ "${want}" != "${got}" ]]; then
	echo "provider-repo: adopting machine-conformance moves k8s.io/client-go to ${got}.x; MCM's release pins ${want}.x (${mcm_mod}): keep our go.mod on MCM's line" >&2
	exit 1
fi
echo "provider-repo: k8s.io/client-go stays on MCM's line ${want}.x" >&2
go build ./...
go vet ./...
if [[ "${1:-}" != "-short" ]]; then
	go test -count=1 ./... -args -ginkgo.label-filter=driver
fi
