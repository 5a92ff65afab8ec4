#!/bin/sh
# t1003: hangs. With -t 100 an input that makes the target loop forever
# (first byte 'A') is saved under hangs/, not crashes/, and the fuzzer
# keeps going until -E; `ferret run -t 100` on the saved hang reports a hang
# and exits non-zero. A timeout is confirmed by a second run before it is
# saved.
# cost: 9 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

build hang hang_first_a.c
seeds in 0
"$FERRET" fuzz -i in -o out -s 1 -t 100 -E 10000 -- ./hang 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
n=$(count_files out/default/hangs)
[ "$n" -ge 1 ] || fail "no hang saved in 10000 executions"
assert_eq 0 "$(count_files out/default/crashes)" "crashes saved"
assert_grep '^execs_done        : 10000$' out/default/fuzzer_stats
assert_grep "^saved_hangs       : $n\$" out/default/fuzzer_stats
assert_grep '^exec_timeout      : 100$' out/default/fuzzer_stats
hang=out/default/hangs/$(ls out/default/hangs | grep '^id:000000,')
assert_eq A "$(head -c 1 "$hang")" "first byte of the hang"

rc=0
"$FERRET" run -t 100 "$hang" -- ./hang >run.out 2>run.err || rc=$?
assert_eq 1 "$rc" "exit status of ferret run on the hang"
assert_eq "$hang: hang: no result within 100 ms" "$(cat run.out)" "ferret run output"

# A timeout is run once more before it is saved (AFL++ does): slow_once.c
# misses the deadline on 'S' once (it removes slow.now and sleeps), then
# runs in no time; only 'H', which hangs every time, is saved.
build slow slow_once.c
seeds sin b
touch slow.now
"$FERRET" fuzz -i sin -o sout -s 1 -t 200 -E 3000 -- ./slow 2>slow.log ||
	{ tail -n 5 slow.log >&2; fail "ferret fuzz on slow_once exited non-zero"; }
[ ! -e slow.now ] || fail "no input starting with 'S' ran"
[ "$(count_files sout/default/hangs)" -ge 1 ] || fail "the real hang ('H') was not saved"
for f in sout/default/hangs/id:*; do
	assert_eq H "$(head -c 1 "$f")" "first byte of saved hang $f"
done
assert_grep 'timeouts not saved as hangs' slow.log
