#!/bin/sh
# runc-without-sys-resource: a runc for dockerd on hosts whose sandbox withholds
# CAP_SYS_RESOURCE from every process. A privileged container asks for every
# capability, and runc then fails with "unable to apply caps: operation not
# permitted". This wrapper removes CAP_SYS_RESOURCE from the container's spec
# (config.json on create and run) or from the process spec (--process on exec,
# which kind uses through `docker exec --privileged`), then runs the real runc
# with the same arguments.
# hack/container-engine.sh installs it with @REAL_RUNC@ replaced; it is ours
# (machine-conformance), not part of runc or Docker.
set -eu
real_runc='@REAL_RUNC@'

command=''
bundle=''
process=''
previous=''
for arg in "$@"; do
	case "${previous}" in
	--bundle | -b) bundle="${arg}" ;;
	--process | -p) process="${arg}" ;;
	esac
	case "${arg}" in
	--bundle=*) bundle="${arg#--bundle=}" ;;
	--process=*) process="${arg#--process=}" ;;
	create | run | exec) [ -n "${command}" ] || command="${arg}" ;;
	esac
	previous="${arg}"
done

# drop_capability FILE PATH removes CAP_SYS_RESOURCE from every capability
# list under the JSON object at PATH in FILE, in place.
drop_capability() {
	[ -f "$1" ] || return 0
	tmp="$1.without-sys-resource.$$"
	jq --arg cap CAP_SYS_RESOURCE \
		"if $2 == null then . else $2 |= map_values(if type == \"array\" then map(select(. != \$cap)) else . end) end" \
		"$1" >"${tmp}"
	cat "${tmp}" >"$1"
	rm -f "${tmp}"
}

case "${command}" in
create | run) drop_capability "${bundle:-.}/config.json" .process.capabilities ;;
exec) [ -z "${process}" ] || drop_capability "${process}" .capabilities ;;
esac
exec "${real_runc}" "$@"
