#!/usr/bin/env bash
# test.sh runs every test: unit tests, then the envtest tier against a real
# kube-apiserver and etcd (built once by envtest-assets.sh and cached).
# Then testdata/provider-repo, a module playing an MCM provider repository,
# must build with our dependencies (hack/provider-repo.sh).
# Extra arguments go to `go test`; -short skips the envtest tier.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
go vet ./...
go test -count=1 "$@" ./...
short=""
for a in "$@"; do [[ "$a" == -short ]] && short=-short; done
hack/provider-repo.sh ${short}
