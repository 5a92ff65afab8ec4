#!/bin/sh
# t3002: SIGINT. A run without limits, interrupted after ~2 s, exits 0
# within a few seconds, writes fuzzer_stats on the way out (its execs_done
# matches the closing "stopped after N executions" line) and leaves no
# target process behind.
. "$(dirname "$0")/lib.sh"

build classify classify.c
seeds in 'a1
'
"$FERRET" fuzz -i in -o out -s 1 -- "$TMP/classify" 2>fuzz.log &
pid=$!
sleep 2
kill -0 $pid 2>/dev/null || { tail -n 5 fuzz.log >&2; fail "ferret fuzz ended before SIGINT"; }
before=$(date +%s)
kill -INT $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
	kill -KILL $pid
	fail "ferret fuzz still running 5 s after SIGINT"
fi
rc=0
wait $pid || rc=$?
assert_eq 0 "$rc" "exit status after SIGINT"

assert_grep '^ferret: stopped after [0-9]+ executions' fuzz.log
n=$(sed -En 's/^ferret: stopped after ([0-9]+) executions.*/\1/p' fuzz.log)
assert_grep "^execs_done        : $n\$" out/default/fuzzer_stats
[ "$n" -gt 0 ] || fail "no executions before SIGINT"
last=$(stat_value out/default last_update)
[ "$last" -ge "$before" ] || fail "fuzzer_stats not rewritten at exit (last_update $last < $before)"
left=$(ps -eo args | grep -c "^$TMP/classify" || true)
assert_eq 0 "$left" "target processes left running"
