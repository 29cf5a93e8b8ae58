#!/usr/bin/env bash
# container-engine.sh makes sure a Docker engine answers and can run the
# privileged containers kind's nodes are, changing the host only where needed:
#   - installs Debian's docker.io (and jq, which the runc wrapper uses) when no
#     docker daemon is installed;
#   - where this sandbox withholds CAP_SYS_RESOURCE from every process (so
#     `docker run --privileged` fails to apply its capabilities), writes our
#     runc wrapper (hack/runc-without-sys-resource.sh) and makes it dockerd's
#     default runtime in /etc/docker/daemon.json;
#   - starts dockerd in the background when none runs, logging to
#     ${kind_engine_state}/dockerd.log, and waits until `docker info` answers;
#   - proves `docker run --privileged` works with a tiny image of our own.
# Every host change is printed and recorded in ${kind_engine_state}/changes.log;
# hack/container-engine-down.sh undoes what is safe to undo.
# Exit codes: 0 the engine works; 3 no engine can be had here (one line on
# stderr says why, so CI can skip the kind tier); 1 anything else.
# A second run when the engine works does nothing and takes well under a second.
set -euo pipefail
# shellcheck source=hack/kind-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/kind-lib.sh"

log() { echo "container-engine: $*" >&2; }
unavailable() { echo "container-engine: no container engine: $*" >&2; exit 3; }
changed() {
	echo "container-engine: host change: $*"
	echo "$(date -u +%FT%TZ) $*" >>"${kind_engine_state}/changes.log"
}

wrapper=/usr/local/libexec/machine-conformance/runc-without-sys-resource
wrapper_runtime=mc-runc-without-sys-resource
daemon_json=/etc/docker/daemon.json
probe_record="${kind_engine_state}/privileged-ok"
mkdir -p "${kind_engine_state}"

# daemon_identity names the running daemon and its default runtime, so a
# proof that privileged containers work is not trusted for another daemon.
daemon_identity() { timeout 10 docker info --format '{{.ID}} {{.DefaultRuntime}} {{.ServerVersion}}' 2>/dev/null; }

# Fast path: an engine we already proved answers as it did then.
if command -v docker >/dev/null && [[ -f "${probe_record}" ]]; then
	identity="$(daemon_identity || true)"
	if [[ -n "${identity}" && "${identity}" == "$(cat "${probe_record}")" ]]; then
		exit 0
	fi
fi

# CAP_SYS_RESOURCE is capability 24; a clear bit in our bounding set means no
# process here, privileged containers included, can ever hold it.
needs_wrapper() {
	local bnd
	bnd="$(awk '/^CapBnd:/{print $2}' /proc/self/status)"
	(( (16#${bnd} >> 24 & 1) == 0 ))
}

install_packages() {
	local wanted=() p
	command -v dockerd >/dev/null || wanted+=(docker.io)
	command -v jq >/dev/null || wanted+=(jq)
	((${#wanted[@]})) || return 0
	command -v apt-get >/dev/null || unavailable "dockerd is not installed and apt-get is missing to install docker.io"
	log "installing ${wanted[*]} from Debian"
	local before after
	before="$(dpkg-query -W -f '${Package}\n' | sort)"
	kind_nice apt-get update -qq >&2 || unavailable "apt-get update failed; Debian's package mirror is needed to install docker.io"
	DEBIAN_FRONTEND=noninteractive kind_nice apt-get install -y -qq --no-install-recommends "${wanted[@]}" >&2 ||
		unavailable "apt-get install ${wanted[*]} failed"
	after="$(dpkg-query -W -f '${Package}\n' | sort)"
	changed "installed packages: $(comm -13 <(echo "${before}") <(echo "${after}") | tr '\n' ' ')"
	# Debian's package starts docker.service under systemd where one runs;
	# here none does, so nothing else was started.
}

write_wrapper() {
	local real_runc
	real_runc="$(command -v runc || true)"
	[[ -n "${real_runc}" ]] || unavailable "runc is not installed (Debian's docker.io depends on it)"
	local want
	want="$(sed "s|@REAL_RUNC@|${real_runc}|" "${kind_root}/hack/runc-without-sys-resource.sh")"
	if [[ ! -f "${wrapper}" || "$(cat "${wrapper}")" != "${want}" ]]; then
		mkdir -p "$(dirname "${wrapper}")"
		printf '%s\n' "${want}" >"${wrapper}"
		chmod 0755 "${wrapper}"
		changed "wrote ${wrapper} (runc without CAP_SYS_RESOURCE, calls ${real_runc})"
	fi
	local current={} merged
	[[ -f "${daemon_json}" ]] && current="$(cat "${daemon_json}")"
	merged="$(jq --arg name "${wrapper_runtime}" --arg path "${wrapper}" \
		'.runtimes[$name] = {path: $path} | ."default-runtime" = $name' <<<"${current}")" ||
		{ log "${daemon_json} is not valid JSON; fix or remove it"; exit 1; }
	if [[ "$(jq -S . <<<"${current}")" != "$(jq -S . <<<"${merged}")" ]]; then
		mkdir -p "$(dirname "${daemon_json}")"
		[[ -f "${daemon_json}" && ! -f "${kind_engine_state}/daemon.json.orig" ]] &&
			cp "${daemon_json}" "${kind_engine_state}/daemon.json.orig"
		printf '%s\n' "${merged}" >"${daemon_json}"
		changed "set ${wrapper_runtime} as dockerd's default runtime in ${daemon_json}"
		daemon_config_changed=1
	fi
}

start_dockerd() {
	local bridge_before=0 forward_before
	ip link show docker0 >/dev/null 2>&1 && bridge_before=1
	forward_before="$(cat /proc/sys/net/ipv4/ip_forward)"
	log "starting dockerd (log: ${kind_engine_state}/dockerd.log)"
	# setsid: the daemon outlives this script and its terminal.
	setsid nice -n 19 dockerd >>"${kind_engine_state}/dockerd.log" 2>&1 </dev/null &
	echo $! >"${kind_engine_state}/dockerd.pid"
	changed "started dockerd, pid $(cat "${kind_engine_state}/dockerd.pid")"
	local i
	for ((i = 0; i < 120; i++)); do
		docker info >/dev/null 2>&1 && break
		kill -0 "$(cat "${kind_engine_state}/dockerd.pid")" 2>/dev/null ||
			unavailable "dockerd exited at start: $(tail -n 1 "${kind_engine_state}/dockerd.log")"
		sleep 0.5
	done
	docker info >/dev/null 2>&1 || unavailable "dockerd did not answer within 60 s (see ${kind_engine_state}/dockerd.log)"
	if [[ "${bridge_before}" == 0 ]] && ip -o link show docker0 >/dev/null 2>&1; then
		echo "created" >"${kind_engine_state}/bridge-created"
		changed "dockerd created the docker0 bridge"
	fi
	[[ "${forward_before}" == 1 ]] || changed "dockerd set net.ipv4.ip_forward=1 (was ${forward_before})"
	if command -v iptables >/dev/null; then
		changed "dockerd added iptables chains DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2 and NAT rules; FORWARD policy now: $(iptables -S FORWARD | head -n 1)"
	fi
}

# prove_privileged runs our pause binary, -v, in a privileged container made
# from a one-file image; the engine is proven only if it prints its name.
prove_privileged() {
	local probe_dir="${kind_engine_state}/probe"
	if ! docker image inspect machine-conformance.local/engine-probe:v1 >/dev/null 2>&1; then
		command -v go >/dev/null || { log "go is missing: cannot build the probe; trusting the engine"; return 0; }
		mkdir -p "${probe_dir}/rootfs"
		(cd "${kind_root}" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${probe_dir}/rootfs/pause" ./cmd/kind-pause)
		tar -C "${probe_dir}/rootfs" -c . | docker import - machine-conformance.local/engine-probe:v1 >/dev/null
	fi
	local out
	out="$(docker run --rm --privileged machine-conformance.local/engine-probe:v1 /pause -v 2>&1)" ||
		unavailable "docker run --privileged fails here: $(tail -n 1 <<<"${out}")"
	[[ "${out}" == kind-pause* ]] || unavailable "docker run --privileged printed ${out:-nothing}, not the probe's name"
}

install_packages
command -v docker >/dev/null || unavailable "the docker client is not on PATH"

daemon_config_changed=0
if needs_wrapper; then
	log "this sandbox withholds CAP_SYS_RESOURCE: privileged containers need our runc wrapper"
	write_wrapper
fi

if docker info >/dev/null 2>&1; then
	if ((daemon_config_changed)); then
		# dockerd reloads runtimes and default-runtime on SIGHUP.
		pid="$(pidof dockerd | awk '{print $1}')"
		[[ -n "${pid}" ]] || unavailable "a docker daemon answers but is not a local dockerd; cannot give it the runc wrapper"
		kill -HUP "${pid}"
		changed "sent SIGHUP to dockerd ${pid} to reload ${daemon_json}"
		sleep 1
	fi
else
	command -v dockerd >/dev/null || unavailable "dockerd is not installed"
	[[ -S /var/run/docker.sock ]] && ! pidof dockerd >/dev/null && rm -f /var/run/docker.sock /var/run/docker.pid
	start_dockerd
fi

prove_privileged
daemon_identity >"${probe_record}"
log "engine ready: $(cat "${probe_record}")"
