#!/bin/sh
# t1011: ferret fuzz on binaries built by afl-clang-fast (AFL++'s fork-server
# protocol, the option-word handshake of Debian's 4.04c): the planted crash
# of afl_magic.c is found from stdin, saved, crashes the program when run
# alone and is reproduced by `ferret run`; coverage comes from AFL's map;
# @@ and a deferred (__AFL_INIT) build run too; a hang is killed and saved;
# no "not instrumented".
. "$(dirname "$0")/lib.sh"

export AFL_QUIET=1
afl-clang-fast -O1 -o afl_fs "$TARGETS/afl_magic.c"
afl-clang-fast -O1 -DAFL_MAGIC_DEFER -o afl_defer "$TARGETS/afl_magic.c"
seeds in M000

# fork server, input on stdin: the crash is found (at execution ~8,100
# with -s 1) and the run stops there (-C)
"$FERRET" fuzz -i in -o out -s 1 -E 20000 -C -- ./afl_fs 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_no_grep 'not instrumented' fuzz.log
assert_grep "target './afl_fs': [0-9]+ edges, AFL\+\+ fork server mode" fuzz.log
assert_grep '^target_mode       : fork server$' out/default/fuzzer_stats
edges=$(stat_value out/default edges_found)
[ "$edges" -ge 4 ] || fail "edges_found is $edges, expected >= 4"
assert_eq 64 "$(stat_value out/default total_edges)" "the map size the binary reported, rounded up to 64"
[ "$(count_files out/default/crashes)" -ge 1 ] || fail "no crash found in 20000 executions"
crash=out/default/crashes/$(ls out/default/crashes | grep '^id:000000')
assert_grep ',sig:11,' fuzz.log
rc=0
./afl_fs <"$crash" >/dev/null 2>&1 || rc=$?
assert_eq 139 "$rc" "exit status of the program run alone on the crash"
rc=0
"$FERRET" run "$crash" -- ./afl_fs >run.out 2>run.err || rc=$?
assert_eq 1 "$rc" "exit status of ferret run on the crash"
assert_grep ': crash: signal 11 \(SIGSEGV\)$' run.out

# @@ and a deferred fork server: inputs reach the program, coverage grows
"$FERRET" fuzz -i in -o out2 -s 1 -E 1500 -- ./afl_defer @@ 2>fuzz2.log ||
	{ tail -n 5 fuzz2.log >&2; fail "ferret fuzz (deferred, @@) exited non-zero"; }
assert_eq 1500 "$(stat_value out2/default execs_done)" "executions, deferred"
edges=$(stat_value out2/default edges_found)
[ "$edges" -ge 4 ] || fail "deferred: edges_found is $edges, expected >= 4"
printf 'M\177\200\377' >magic
rc=0
"$FERRET" run magic -- ./afl_defer @@ >run2.out 2>&1 || rc=$?
assert_eq 1 "$rc" "ferret run of the magic through @@, deferred"
assert_grep ': crash: signal 11 \(SIGSEGV\)$' run2.out

# a hang: the child is killed at the timeout, the hang saved, the run goes
# on, and no process of the target is left
afl-clang-fast -O1 -o afl_hang "$TARGETS/hang_first_a.c"
seeds hin b
"$FERRET" fuzz -i hin -o out3 -s 1 -E 1000 -t 50 -- ./afl_hang 2>fuzz3.log ||
	{ tail -n 5 fuzz3.log >&2; fail "ferret fuzz (hang) exited non-zero"; }
assert_eq 1000 "$(stat_value out3/default execs_done)" "executions, hang"
[ "$(count_files out3/default/hangs)" -ge 1 ] || fail "no hang saved"
assert_eq A "$(head -c 1 out3/default/hangs/id:000000*)" "first byte of the hang"
left=$(ps -eo args | grep -c "^$TMP/afl_hang\|^\./afl_hang" || true)
assert_eq 0 "$left" "processes of afl_hang left"
