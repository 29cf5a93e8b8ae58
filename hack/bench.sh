#!/usr/bin/env bash
# bench.sh runs the Go benchmarks (never timed tests) and, for each
# simulator (EC2 through aws-sdk-go-v2, OpenStack through gophercloud/v2),
# prints the throughput ratio simulator / bare handler against
# the goal of at least 0.5; then it times one full conformance run per
# provider against the goal of at most 60 s warm. Extra arguments go to
# `go test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(mktemp)"
trap 'rm -f "${out}"' EXIT
go test -run '^$' -bench . -benchmem -benchtime=2s -count=3 "$@" ./simulators/... | tee "${out}"
status=0
awk '
/^Benchmark.*\/(bare|simulator)-[0-9]+ / {
	name = $1; sub(/-[0-9]+$/, "", name)
	kind = (name ~ /\/bare$/) ? "bare" : "simulator"
	sub(/\/(bare|simulator)$/, "", name)
	sum[name, kind] += $3; n[name, kind]++; names[name] = 1
}
END {
	print ""
	printf "%-42s %14s %14s %8s %s\n", "benchmark", "bare req/s", "sim req/s", "ratio", "goal >= 0.5"
	fail = 0
	for (name in names) {
		b = sum[name, "bare"] / n[name, "bare"]; s = sum[name, "simulator"] / n[name, "simulator"]
		ratio = b / s
		verdict = (ratio >= 0.5) ? "met" : "MISSED"
		if (ratio < 0.5) fail = 1
		printf "%-42s %14.0f %14.0f %8.2f %s\n", name, 1e9 / b, 1e9 / s, ratio, verdict
	}
	exit fail
}' "${out}" || status=1

KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
mkdir -p bin
go build -o bin/machine-conformance ./cmd/machine-conformance
echo
printf "%-10s %10s %8s %s\n" provider "wall (s)" specs "goal <= 60 s"
for provider in aws openstack memory; do
	start=$(date +%s.%N)
	log="$(bin/machine-conformance --provider="${provider}" --report-dir="_out/bench/${provider}" 2>&1)" || { echo "${log}" | tail -20; status=1; }
	wall=$(awk -v a="${start}" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	specs=$(echo "${log}" | sed -n 's/.*Ran \([0-9]*\) of.*/\1/p' | tail -1)
	verdict=$(awk -v w="${wall}" 'BEGIN { print (w <= 60) ? "met" : "MISSED" }')
	[[ "${verdict}" == met ]] || status=1
	printf "%-10s %10.1f %8s %s\n" "${provider}" "${wall}" "${specs}" "${verdict}"
done
exit "${status}"
