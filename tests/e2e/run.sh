#!/bin/sh
# run.sh - runs every tests/e2e/tNNNN-*.sh (or those named as arguments,
# as paths or bare names), each in its own process with a time limit, up to
# N at a time, and prints one line per test in the order listed, the last
# lines of each failing test's log, and a closing "e2e: N passed, N failed"
# line. Exit status 1 if any failed.
#
#   tests/e2e/run.sh [-j N] [TEST...]
#
#   -j N          tests run at once (default $E2E_JOBS, else 1); `make test`
#                 and `make e2e` pass -j 3
#   E2E_TIMEOUT   seconds one test may take (default 180)
#   FERRET_BUILD  the build to test (default build/)
#
# Tests run in parallel share nothing: each has its own temporary directory
# (lib.sh) and leaves CPU binding off (FERRET_NO_AFFINITY, lib.sh). Each of
# N workers claims the next test not yet claimed (mkdir is atomic; the
# costliest first, see "# cost:" below) and
# leaves its log and result in a private state directory; the main loop
# prints the results in list order as they arrive.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${FERRET_BUILD:=$here/../../build}"
export FERRET_BUILD
limit=${E2E_TIMEOUT:-180}
jobs=${E2E_JOBS:-1}
while getopts j: opt; do
	case $opt in
	j) jobs=$OPTARG ;;
	*) echo "usage: $0 [-j N] [TEST...]" >&2 && exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $jobs in
'' | *[!0-9]* | 0) echo "run.sh: -j needs a positive number, not '$jobs'" >&2 && exit 2 ;;
esac

tests=
if [ $# -eq 0 ]; then set -- "$here"/t[0-9][0-9][0-9][0-9]-*.sh; fi
for t in "$@"; do
	for f in "$t" "$here/$t" "$here/$t.sh"; do
		if [ -f "$f" ]; then tests="$tests $f" && continue 2; fi
	done
	echo "run.sh: no test '$t'" >&2
	exit 2
done

# Workers claim the longest tests first, so that no long one starts last
# and runs alone: a test may say how long it takes with a line
# "# cost: SECONDS" (default 1); results are still printed in list order.
order=$(for t in $tests; do
	c=$(sed -n 's/^# cost: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n 1)
	echo "${c:-1} $t"
done | sort -s -k1,1 -n -r | cut -d' ' -f2)

state=$(mktemp -d "/tmp/ferret-e2e-run.XXXXXX")
workers=
# Stopping early (^C, or make being stopped) ends the tests too: each runs
# under timeout(1) in its own process group, out of reach of the terminal.
# Workers first, so that none starts another test.
stop() {
	# shellcheck disable=SC2086 # a list of pids
	[ -z "$workers" ] || kill -TERM $workers 2>/dev/null
	for p in "$state"/*.pid; do [ -e "$p" ] && kill -TERM "$(cat "$p")" 2>/dev/null; done
	exit 130
}
trap stop INT TERM
trap 'rm -rf "$state"' EXIT

# worker: runs tests until none is left unclaimed. The result file appears
# whole (rename), so the main loop never reads half of one.
worker() {
	for t in $order; do
		name=$(basename "$t" .sh)
		mkdir "$state/$name.claim" 2>/dev/null || continue
		start=$(date +%s)
		timeout "$limit" sh "$t" >"$state/$name.log" 2>&1 &
		echo $! >"$state/$name.pid"
		rc=0
		wait $! || rc=$?
		rm -f "$state/$name.pid"
		if [ $rc -eq 0 ]; then r=ok; else r=FAIL; fi
		[ $rc -ne 124 ] || echo "run.sh: timed out after ${limit}s (E2E_TIMEOUT)" >>"$state/$name.log"
		echo "$r $(($(date +%s) - start))" >"$state/$name.tmp"
		mv "$state/$name.tmp" "$state/$name.res"
	done
}

# Each worker leaves done.I when it ends, however it ends, so that the main
# loop cannot wait for ever on a test whose worker died.
i=0
while [ $i -lt "$jobs" ]; do
	(
		trap 'touch "$state/done.$i"' EXIT
		worker
	) &
	workers="$workers $!"
	i=$((i + 1))
done

alive() {
	n=0
	for d in "$state"/done.*; do [ -e "$d" ] && n=$((n + 1)); done
	[ "$n" -lt "$jobs" ]
}

pass=0 failed=0 failed_names=
for t in $tests; do
	name=$(basename "$t" .sh)
	res=$state/$name.res
	while [ ! -e "$res" ] && alive; do sleep 0.2; done
	if [ -e "$res" ]; then read -r r secs <"$res"; else r=FAIL secs='?'; fi
	if [ "$r" = ok ]; then
		pass=$((pass + 1))
		echo "ok   $name (${secs}s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		echo "FAIL $name (${secs}s)"
		[ -e "$state/$name.log" ] || echo "(the runner lost this test)" >"$state/$name.log"
		sed 's/^/    /' "$state/$name.log" | tail -n 30
	fi
done
wait
[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "e2e: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
