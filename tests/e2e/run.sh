#!/bin/sh
# run.sh - runs every tests/e2e/tNNNN-*.sh (or those named as arguments),
# each in its own process with a time limit, and prints one line per test
# and a closing "N passed, N failed" line. Exit status 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${FERRET_BUILD:=$here/../../build}"
export FERRET_BUILD
limit=${E2E_TIMEOUT:-180}
pass=0 failed=0 failed_names=
if [ $# -gt 0 ]; then tests="$*"; else tests=$(ls "$here"/t[0-9][0-9][0-9][0-9]-*.sh); fi
for t in $tests; do
	name=$(basename "$t" .sh)
	log=$(mktemp)
	start=$(date +%s)
	if timeout "$limit" sh "$t" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "ok   $name ($(($(date +%s) - start))s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		echo "FAIL $name ($(($(date +%s) - start))s)"
		sed 's/^/    /' "$log" | tail -n 30
	fi
	rm -f "$log"
done
[ -z "$failed_names" ] || echo "failed:$failed_names"
echo "e2e: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
