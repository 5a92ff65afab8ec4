#!/bin/sh
# t1012: ferret fuzz on an __AFL_LOOP build of afl-clang-fast: persistent
# mode (the child stops after each input), test cases in AFL's shared
# memory (__AFL_SHM_FUZZ_ID); the planted crash is found, crashes the
# program alone and is reproduced by `ferret run`. An afl-clang-lto build
# sends its autodictionary, which becomes auto_dict_entries.
. "$(dirname "$0")/lib.sh"

export AFL_QUIET=1
afl-clang-fast -O1 -DAFL_MAGIC_PERSISTENT -o afl_pers "$TARGETS/afl_magic.c"
seeds in M000

"$FERRET" fuzz -i in -o out -s 1 -E 40000 -- ./afl_pers 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_no_grep 'not instrumented' fuzz.log
assert_grep "AFL\+\+ persistent mode" fuzz.log
assert_grep '^target_mode       : persistent$' out/default/fuzzer_stats
assert_eq 40000 "$(stat_value out/default execs_done)" "executions"
edges=$(stat_value out/default edges_found)
[ "$edges" -ge 4 ] || fail "edges_found is $edges, expected >= 4"
[ "$(count_files out/default/crashes)" -ge 1 ] || fail "no crash found in 40000 executions"
[ "$(count_files out/default/hangs)" -eq 0 ] || fail "hangs saved"
crash=out/default/crashes/$(ls out/default/crashes | grep '^id:000000')
rc=0
./afl_pers <"$crash" >/dev/null 2>&1 || rc=$?
assert_eq 139 "$rc" "exit status of the program run alone on the crash"
rc=0
"$FERRET" run "$crash" -- ./afl_pers >run.out 2>run.err || rc=$?
assert_eq 1 "$rc" "exit status of ferret run on the crash"
assert_grep ': crash: signal 11 \(SIGSEGV\)$' run.out

# afl-clang-lto: the autodictionary ("AFLTOKEN") reaches ferret's
afl-clang-lto -O1 -o afl_lto "$TARGETS/afl_magic.c"
"$FERRET" fuzz -i in -o out3 -s 1 -E 300 -- ./afl_lto 2>fuzz3.log ||
	{ tail -n 5 fuzz3.log >&2; fail "ferret fuzz (afl-clang-lto) exited non-zero"; }
n=$(stat_value out3/default auto_dict_entries)
[ "$n" -ge 1 ] || fail "auto_dict_entries is $n: the autodictionary was not used"
