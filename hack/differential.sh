#!/usr/bin/env bash
# differential.sh PROVIDER runs the conformance suite twice, with the
# reference controller and with MCM's own, then compares the two runs'
# traces machine by machine (phases, driver calls, the oracle's cloud).
# It fails on any difference the README does not list. Reports go to
# _out/conformance/PROVIDER, PROVIDER-mcm and PROVIDER-differential.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
provider="${1:-aws}"
CONTROLLER=reference hack/conformance.sh "${provider}"
CONTROLLER=mcm hack/conformance.sh "${provider}"
exec bin/machine-conformance --provider="${provider}" \
	--compare-reference="_out/conformance/${provider}" \
	--compare-mcm="_out/conformance/${provider}-mcm"
