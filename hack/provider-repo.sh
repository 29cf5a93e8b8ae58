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
go build ./...
go vet ./...
if [[ "${1:-}" != "-short" ]]; then
	go test -count=1 ./... -args -ginkgo.label-filter=driver
fi
