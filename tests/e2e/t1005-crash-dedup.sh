#!/bin/sh
# t1005: crash deduplication. Every input starting with 'A' crashes the
# target the same way; a 20000-execution run saves at most a handful of
# them (crashes are kept only for a new signal or new edges) and keeps
# fuzzing after the first one, up to -E.
. "$(dirname "$0")/lib.sh"
bind_cpu

build crash crash_first_a.c
seeds in 0
"$FERRET" fuzz -i in -o out -s 1 -E 20000 -- ./crash 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
n=$(count_files out/default/crashes)
[ "$n" -ge 1 ] || fail "no crash found in 20000 executions"
[ "$n" -le 5 ] || { ls out/default/crashes >&2; fail "$n crashes saved for one bug (at most 5 expected)"; }
assert_grep "^saved_crashes     : $n\$" out/default/fuzzer_stats
assert_grep '^execs_done        : 20000$' out/default/fuzzer_stats
# it went on after the first crash: that crash came early, the run did not
first=$(ls out/default/crashes | grep '^id:000000,')
at=$(echo "$first" | sed -E 's/.*,execs:([0-9]+),.*/\1/')
[ "$at" -lt 20000 ] || fail "first crash at execution $at"
since=$(stat_value out/default execs_since_crash)
[ "$since" -gt 0 ] || fail "execs_since_crash is '$since'"
