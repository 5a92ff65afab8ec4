#!/bin/sh
# t1008: an AFL++ persistent harness (__AFL_FUZZ_INIT, __AFL_INIT,
# __AFL_LOOP, __AFL_FUZZ_TESTCASE_BUF/LEN) builds unchanged with ferret-cc,
# runs under `ferret fuzz` in ferret's own persistent mode (few processes
# for many inputs) and finds its planted crash; outside a fuzzer it runs
# once on stdin, also as C++. A harness that reads stdin itself inside
# __AFL_LOOP gets each input on stdin; one with selective coverage
# (__AFL_COVERAGE_ON/OFF around the checks) still finds the crash.
. "$(dirname "$0")/lib.sh"

build shm afl_persist.c
build loop afl_branches.c -DAFL_BRANCHES_LOOP
build sel afl_persist.c -DAFL_PERSIST_SELECTIVE
"$FCXX" -O1 -x c++ -o shmxx "$TARGETS/afl_persist.c"

# outside a fuzzer: one pass over all of stdin
assert_eq "len 5" "$(printf 'hello' | ./shm)" "standalone run"
assert_eq "len 0" "$(./shm </dev/null)" "standalone run, empty stdin"
assert_eq "len 5" "$(printf 'hello' | ./shmxx)" "standalone run, C++ build"
assert_eq "depth 4" "$(printf 'abcd' | ./loop)" "standalone stdin harness"
rc=0
printf 'FZ!' | ./shm >/dev/null 2>&1 || rc=$?
assert_eq 139 "$rc" "standalone run of the crash (SIGSEGV)"

seeds in x
export AFL_PERSIST_PIDS="$TMP/pids"
"$FERRET" fuzz -i in -o out -s 1 -E 30000 -- ./shm 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_grep '^target_mode       : persistent$' out/default/fuzzer_stats
assert_grep '^execs_done        : 30000$' out/default/fuzzer_stats
n=$(count_files out/default/crashes)
[ "$n" -ge 1 ] || fail "no crash found in 30000 persistent executions"
crash=out/default/crashes/$(ls out/default/crashes | grep '^id:000000')
assert_eq 'FZ!' "$(head -c 3 "$crash")" "first bytes of the crash"
# each process serves many inputs: a new one only after a crash or 100000 inputs
procs=$(sort -u pids | wc -l)
[ "$procs" -le $((n * 2 + 20)) ] || fail "$procs processes for 30000 inputs and $n crashes"
echo "shm: $procs processes, $n crashes, $(stat_value out/default execs_per_sec) exec/s"

"$FERRET" fuzz -i in -o out2 -s 1 -E 20000 -- ./loop 2>fuzz2.log ||
	{ tail -n 5 fuzz2.log >&2; fail "ferret fuzz exited non-zero (stdin harness)"; }
assert_grep '^target_mode       : persistent$' out2/default/fuzzer_stats
found=$(stat_value out2/default corpus_found)
[ "$found" -ge 3 ] || fail "stdin harness: only $found entries found (its input does not reach it)"

"$FERRET" fuzz -i in -o out3 -s 1 -E 30000 -- ./sel 2>fuzz3.log ||
	{ tail -n 5 fuzz3.log >&2; fail "ferret fuzz exited non-zero (selective coverage)"; }
[ "$(count_files out3/default/crashes)" -ge 1 ] || fail "selective coverage: no crash found"
