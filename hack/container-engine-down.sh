#!/usr/bin/env bash
# container-engine-down.sh undoes what hack/container-engine.sh did that is
# safe to undo: it stops the dockerd that script started (with its containers
# and its containerd), removes the docker0 bridge if that dockerd created it,
# and says what it leaves: the Debian packages, the runc wrapper and
# /etc/docker/daemon.json (a later dockerd needs them here), dockerd's
# iptables chains, and images under /var/lib/docker (the cached node image
# loads from there in seconds). A daemon it did not start is left running.
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"

log() { echo "container-engine-down: $*" >&2; }
undone() {
	echo "container-engine-down: host change undone: $*"
	echo "$(date -u +%FT%TZ) undone: $*" >>"${kind_engine_state}/changes.log"
}

pid_file="${kind_engine_state}/dockerd.pid"
if [[ ! -f "${pid_file}" ]]; then
	log "no dockerd started by hack/container-engine.sh; nothing to stop"
	exit 0
fi
pid="$(cat "${pid_file}")"
if [[ "$(cat "/proc/${pid}/comm" 2>/dev/null)" == dockerd ]]; then
	kill -TERM "${pid}"
	for ((i = 0; i < 60; i++)); do
		kill -0 "${pid}" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "${pid}" 2>/dev/null; then
		log "dockerd ${pid} did not stop within 30 s; left running (see ${kind_engine_state}/dockerd.log)"
		exit 1
	fi
	undone "stopped dockerd ${pid}"
else
	log "dockerd ${pid} had already exited"
fi
rm -f "${pid_file}" "${kind_engine_state}/privileged-ok"

if [[ -f "${kind_engine_state}/bridge-created" ]] && ip link show docker0 >/dev/null 2>&1; then
	ip link delete docker0
	rm -f "${kind_engine_state}/bridge-created"
	undone "deleted the docker0 bridge"
fi

log "left in place (a later hack/container-engine.sh reuses them):"
log "  packages installed from Debian (see ${kind_engine_state}/changes.log); remove with apt-get remove docker.io if you wish"
log "  /usr/local/libexec/machine-conformance/runc-without-sys-resource and /etc/docker/daemon.json"
log "  dockerd's iptables chains (DOCKER*), FORWARD policy DROP and net.ipv4.ip_forward=1"
log "  images under /var/lib/docker, the cached node image among them"
