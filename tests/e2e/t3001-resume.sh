#!/bin/sh
# t3001: resume. A second run on the same -o, without -i and then with -i
# (which is ignored when a queue exists), keeps every queue entry of the
# first run (same names, same count or more) and execs_done in fuzzer_stats
# keeps growing across the runs. And what a resume trusts (the end).
# cost: 5 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"
bind_cpu

build classify classify.c
seeds in 'a1
'
"$FERRET" fuzz -i in -o out -s 1 -E 3000 -- ./classify 2>fuzz1.log ||
	{ tail -n 5 fuzz1.log >&2; fail "first run exited non-zero"; }
ls out/default/queue | grep '^id:' >queue1.txt
n1=$(wc -l <queue1.txt)
[ "$n1" -ge 2 ] || fail "first run found nothing to resume from ($n1 queue entries)"
e1=$(stat_value out/default execs_done)
assert_eq 3000 "$e1" "execs_done after the first run"

# resume without -i
"$FERRET" fuzz -o out -s 2 -E 3000 -- ./classify 2>fuzz2.log ||
	{ tail -n 5 fuzz2.log >&2; fail "resumed run (no -i) exited non-zero"; }
assert_grep 'resumed' fuzz2.log
ls out/default/queue | grep '^id:' >queue2.txt
missing=$(comm -23 queue1.txt queue2.txt | head -n 3)
assert_eq "" "$missing" "queue entries lost by resuming"
n2=$(wc -l <queue2.txt)
assert_eq "$n2" "$(stat_value out/default corpus_count)" "corpus_count after resuming"
e2=$(stat_value out/default execs_done)
[ "$e2" -gt "$e1" ] || fail "execs_done did not grow on resume: $e1 then $e2"

# resume with -i: the seeds are ignored, the queue is kept
"$FERRET" fuzz -i in -o out -s 3 -E 3000 -- ./classify 2>fuzz3.log ||
	{ tail -n 5 fuzz3.log >&2; fail "resumed run (with -i) exited non-zero"; }
assert_grep 'resumed' fuzz3.log
ls out/default/queue | grep '^id:' >queue3.txt
missing=$(comm -23 queue2.txt queue3.txt | head -n 3)
assert_eq "" "$missing" "queue entries lost by resuming with -i"
n3=$(wc -l <queue3.txt)
[ "$n3" -ge "$n2" ] || fail "queue shrank: $n2 then $n3"
e3=$(stat_value out/default execs_done)
[ "$e3" -gt "$e2" ] || fail "execs_done did not grow on the second resume: $e2 then $e3"

# What a resume trusts (issue 10): the files, not fuzzer_stats, and only
# ferret's own files. crash_first_a.c saves crashes; fuzzer_stats is then
# made to lag (saved_crashes 0, as after a kill -9 between a crash file
# and the stats) and a user's notes and a symlink out of the directory are
# put in queue/. The resumed run numbers its crashes after the largest id
# on disk (no id twice), leaves notes.txt as it was and reads neither file.
build crash crash_first_a.c
seeds cin 0 b
"$FERRET" fuzz -i cin -o cout -s 1 -E 3000 -- ./crash 2>crash1.log ||
	{ tail -n 5 crash1.log >&2; fail "crash run exited non-zero"; }
[ "$(count_files cout/default/crashes)" -ge 1 ] || fail "no crash to resume after"
sed -i 's/^saved_crashes *: .*/saved_crashes     : 0/' cout/default/fuzzer_stats
printf 'my notes, not an input\n' >cout/default/queue/notes.txt
printf 'AAAA' >outside
ln -s "$TMP/outside" cout/default/queue/id:000999,evil
own=$(ls cout/default/queue | grep -c '^id:0000')
"$FERRET" fuzz -o cout -s 2 -E 6000 -- ./crash 2>crash2.log ||
	{ tail -n 5 crash2.log >&2; fail "resumed crash run exited non-zero"; }
dups=$(ls cout/default/crashes | grep '^id:' | cut -d, -f1 | sort | uniq -d | head -n 3)
assert_eq "" "$dups" "crash ids used twice after a resume with lagging stats"
assert_eq "my notes, not an input" "$(cat cout/default/queue/notes.txt)" "the user's file in queue/"
assert_grep "resumed $own inputs" crash2.log
