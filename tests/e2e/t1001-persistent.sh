#!/bin/sh
# t1001: persistent mode. A FERRET_LOOP target runs as "persistent" (per
# fuzzer_stats), a planted crash (first byte 'A') is found within a bounded
# run and reproduces with `ferret run`; run outside the fuzzer, the same
# binary reads stdin once and runs its body once.
. "$(dirname "$0")/lib.sh"

build persist persist_loop.c

# outside the fuzzer: one pass over all of stdin
assert_eq "len 5" "$(printf 'hello' | ./persist)" "standalone run"
assert_eq "len 0" "$(./persist </dev/null)" "standalone run, empty stdin"

seeds in 0
"$FERRET" fuzz -i in -o out -s 1 -E 30000 -- ./persist 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_grep '^target_mode       : persistent$' out/default/fuzzer_stats
assert_grep '^execs_done        : 30000$' out/default/fuzzer_stats
n=$(count_files out/default/crashes)
[ "$n" -ge 1 ] || fail "no crash found in 30000 persistent executions"
crash=out/default/crashes/$(ls out/default/crashes | grep '^id:000000')
assert_eq A "$(head -c 1 "$crash")" "first byte of the crash"

rc=0
"$FERRET" run "$crash" -- ./persist >run.out 2>run.err || rc=$?
assert_eq 1 "$rc" "exit status of ferret run on the crash"
assert_grep ': crash: signal 11 \(SIGSEGV\)$' run.out
