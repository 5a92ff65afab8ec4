# lib.sh - sourced by the bench scripts: process hygiene. Each fuzzer runs
# in a session of its own (CUR, its pid), killed as a group afterwards, and
# no process of a binary built under $B may outlive a run. The sourcing
# script defines say() and sets B before it calls these.
# (dash's kill takes no "--": a negative pid right after the signal is a group)

CUR=

cleanup() {
	if [ -n "$CUR" ]; then
		kill -KILL "-$CUR" 2>/dev/null || true
		CUR=
	fi
}

# strays: pids of processes still running one of the binaries built here (a
# fuzzer may move its fork server to a session of its own)
strays() {
	ps -eo pid=,args= | awk -v b="$B/" 'index($2, b) == 1 { print $1 }'
}

# reap_strays WHAT: waits up to 5 s for strays to go, then kills them
reap_strays() {
	i=0
	while [ -n "$(strays)" ] && [ $i -lt 10 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	if [ -n "$(strays)" ]; then
		say "warning: target processes left after $1: $(strays | tr '\n' ' ')- killing them"
		# shellcheck disable=SC2046
		kill -KILL $(strays) 2>/dev/null || true
	fi
}

trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
