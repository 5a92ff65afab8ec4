#!/bin/sh
# t3002: SIGINT. A run without limits, interrupted after ~2 s, exits 0
# within a few seconds, writes fuzzer_stats on the way out (its execs_done
# matches the closing "stopped after N executions" line) and leaves no
# target process behind. SIGINT during a hang ends it at once; -V is
# honoured within one timeout; after kill -9 of ferret during a hang no
# process of the target is left.
# cost: 10 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

# interrupt PID TENTHS WHEN: SIGINT to PID, which must be gone within
# TENTHS tenths of a second (else it is killed and the test fails)
interrupt() {
	kill -INT "$1"
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		fail "ferret fuzz still running $3"
	fi
}

build classify classify.c
seeds in 'a1
'
"$FERRET" fuzz -i in -o out -s 1 -- "$TMP/classify" 2>fuzz.log &
pid=$!
sleep 2
kill -0 $pid 2>/dev/null || { tail -n 5 fuzz.log >&2; fail "ferret fuzz ended before SIGINT"; }
before=$(date +%s)
interrupt $pid 50 "5 s after SIGINT"
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

# SIGINT while an input hangs (issue 10): the input in flight is killed at
# once, not at its timeout. hang_first_a.c loops forever on 'A', which the
# compare stage writes within the first executions; -t 20000 keeps it in
# flight. ferret must be gone within 3 s of the signal, exit 0, and save
# the interrupted input as nothing (it was our kill, not a verdict).
build hang hang_first_a.c
seeds hin b
"$FERRET" fuzz -i hin -o hout -s 1 -t 20000 -- "$TMP/hang" 2>hang.log &
pid=$!
sleep 2
kill -0 $pid 2>/dev/null || { tail -n 5 hang.log >&2; fail "ferret fuzz (hang) ended before SIGINT"; }
interrupt $pid 30 "3 s after SIGINT during a hang (-t 20000)"
rc=0
wait $pid || rc=$?
assert_eq 0 "$rc" "exit status after SIGINT during a hang"
assert_eq 0 "$(count_files hout/default/crashes)" "crashes saved for the interrupted input"
left=$(ps -eo args | grep -c "^$TMP/hang" || true)
assert_eq 0 "$left" "target processes left running after SIGINT during a hang"

# -V is honoured within one timeout: with -t 3000 and a target that hangs
# on most inputs of the run, -V 2 ends within 2 + 3 s (and some slack).
start=$(date +%s)
"$FERRET" fuzz -i hin -o vout -s 1 -t 3000 -V 2 -- "$TMP/hang" 2>v.log ||
	{ tail -n 5 v.log >&2; fail "ferret fuzz -V 2 exited non-zero"; }
took=$(($(date +%s) - start))
[ "$took" -le 8 ] || fail "-V 2 -t 3000 took ${took} s"

# kill -9 of ferret during a hang: the fork server and the hanging child
# die with it (parent-death signals), nothing of the target runs on.
"$FERRET" fuzz -i hin -o kout -s 1 -t 20000 -- "$TMP/hang" 2>kill9.log &
pid=$!
sleep 2
kill -0 $pid 2>/dev/null || { tail -n 5 kill9.log >&2; fail "ferret fuzz (kill -9) ended early"; }
kill -KILL $pid
wait $pid || true
i=0
while [ "$(ps -eo args | grep -c "^$TMP/hang" || true)" -ne 0 ] && [ $i -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_eq 0 "$(ps -eo args | grep -c "^$TMP/hang" || true)" "target processes left after kill -9 of ferret"
