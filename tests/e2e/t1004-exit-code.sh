#!/bin/sh
# t1004: a non-zero exit is not a crash. A target that exits 3 for most
# inputs leaves crashes/ and hangs/ empty after a bounded run; `ferret run`
# reports "exit 3" for such an input and itself exits 0.
. "$(dirname "$0")/lib.sh"

build exit3 exit_three.c
seeds in a
"$FERRET" fuzz -i in -o out -s 1 -E 5000 -- ./exit3 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_grep '^execs_done        : 5000$' out/default/fuzzer_stats
assert_eq 0 "$(count_files out/default/crashes)" "crashes saved"
assert_eq 0 "$(count_files out/default/hangs)" "hangs saved"
assert_grep '^saved_crashes     : 0$' out/default/fuzzer_stats

rc=0
"$FERRET" run in/seed0 -- ./exit3 >run.out 2>run.err || rc=$?
assert_eq 0 "$rc" "exit status of ferret run"
assert_eq "in/seed0: ok: exit 3" "$(cat run.out)" "ferret run output"
