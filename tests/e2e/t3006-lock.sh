#!/bin/sh
# t3006: the instance directory is one instance's. While `ferret fuzz`
# runs on OUT/default, a second one on the same -o (same name) is refused
# with one line and a non-zero exit, before it touches anything (before the
# lock it "resumed" the live queue, and both wrote .cur_input: crashes that
# did not reproduce, duplicate ids). Another name in the same OUT (-S) is
# fine, and once the first has stopped, the directory can be resumed.
. "$(dirname "$0")/lib.sh"

build classify classify.c
seeds in 'a1
'
"$FERRET" fuzz -i in -o out -s 1 -V 20 -- "$TMP/classify" 2>first.log &
pid=$!
i=0
while [ ! -s out/default/fuzzer_stats ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s out/default/fuzzer_stats ] || { kill -KILL $pid; fail "the first instance did not start"; }
ls out/default/queue >queue.before
rc=0
"$FERRET" fuzz -i in -o out -s 2 -E 1000 -- "$TMP/classify" >second.out 2>second.err || rc=$?
[ "$rc" -ne 0 ] || { kill -KILL $pid; fail "a second instance on a live directory was not refused"; }
assert_eq 1 "$(wc -l <second.err)" "lines of the refusal"
assert_grep "out/default' is in use by another ferret instance" second.err
rc=0
"$FERRET" fuzz -i in -o out -S other -s 2 -E 1000 -- "$TMP/classify" 2>other.log || rc=$?
assert_eq 0 "$rc" "another instance name in the same -o"
kill -INT $pid
rc=0
wait $pid || rc=$?
assert_eq 0 "$rc" "exit status of the first instance"
rc=0
"$FERRET" fuzz -i in -o out -s 3 -E 1000 -- "$TMP/classify" 2>resume.log || rc=$?
assert_eq 0 "$rc" "resuming once the first instance stopped"
