#!/bin/sh
# t1002: deferred start. A target calling FERRET_INIT() after a slow
# set-up runs in fork-server mode, the planted crash (first byte 'A') is
# found within a bounded run and reproduces with `ferret run`; outside the
# fuzzer FERRET_INIT() is a no-op. The 20 ms set-up before FERRET_INIT()
# runs once, not per input: 2000 executions fit in 15 s (they would take
# 40 s if every input paid for the set-up).
. "$(dirname "$0")/lib.sh"

build deferred deferred_init.c
assert_eq "read 3" "$(printf 'abc' | ./deferred)" "standalone run"

seeds in 0
"$FERRET" fuzz -i in -o out -s 1 -E 30000 -C -- ./deferred 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_grep '^target_mode       : fork server$' out/default/fuzzer_stats
assert_eq 1 "$(count_files out/default/crashes)" "crashes saved"
crash=out/default/crashes/$(ls out/default/crashes | grep '^id:000000')
assert_eq A "$(head -c 1 "$crash")" "first byte of the crash"

rc=0
"$FERRET" run "$crash" -- ./deferred >run.out 2>run.err || rc=$?
assert_eq 1 "$rc" "exit status of ferret run on the crash"
assert_grep ': crash: signal 11 \(SIGSEGV\)$' run.out

# the set-up is paid once: 2000 executions well within 15 seconds
seeds in2 zzz
"$FERRET" fuzz -i in2 -o out2 -s 1 -E 2000 -V 15 -- ./deferred 2>fuzz2.log ||
	{ tail -n 5 fuzz2.log >&2; fail "ferret fuzz exited non-zero"; }
assert_grep '^execs_done        : 2000$' out2/default/fuzzer_stats
