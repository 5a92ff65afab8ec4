#!/bin/sh
# t2006: an AFL++ custom mutator (tests/targets/custom_mutator.c, built with
# cc -shared -fPIC against the ABI alone) loaded by --custom-mutator and by
# AFL_CUSTOM_MUTATOR_LIBRARY: its fuzz stage writes a 16-byte magic the
# built-in mutators never produce, and the crash is found; its trim
# replaces ferret's (the hooks are called, the seed ends up 16 bytes);
# its describe() names queue and crash files (sanitized: '/' and ' '
# become '_'); queue_new_entry hears of every queue file with its parent;
# it sees AFL_CUSTOM_INFO_*; post_process runs before every execution and
# what ran is what is saved; the same -s gives the same findings.
. "$(dirname "$0")/lib.sh"

cc -shared -fPIC -o custom.so "$TARGETS/custom_mutator.c"
build magic custom_magic.c -O0 # -O0: one block per switch case
seeds in 'seed-input-for-custom-trim-test-xxxxxxxxxxxx'
export CUSTOM_MUTATOR_LOG="$PWD/log"

"$FERRET" fuzz -i in -o out -s 1 -E 2000 --custom-mutator ./custom.so -- ./magic 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
q=out/default/queue
ls $q >queue.txt
ls out/default/crashes >crashes.txt
assert_grep '^id:000000,sig:11,src:[0-9+]+,time:[0-9]+,execs:[0-9]+,op:custom,probe_v1_magic$' crashes.txt
crash=out/default/crashes/$(grep '^id:' crashes.txt | head -n 1)
assert_eq CUSTOM-MUTATOR!! "$(head -c 16 "$crash")" "the crash's first 16 bytes"
assert_grep '^id:[0-9]{6},src:[0-9+]+,time:[0-9]+,execs:[0-9]+,op:custom,probe_v1_byte(,\+cov)?$' queue.txt
assert_no_grep '[ /]' queue.txt

# the custom trim ran instead of ferret's, and cut the seed to 16 bytes
assert_grep '^init_trim 44$' log
assert_grep '^trim$' log
assert_grep '^post_trim 1$' log
assert_eq 16 "$(wc -c <"$q/id:000000,time:0,execs:0,orig:seed0")" "the trimmed seed's size"

# queue_new_entry: every queue file, the seed without a parent
assert_eq "$(count_files $q)" "$(grep -c '^new ' log)" "queue_new_entry calls"
assert_grep "^new out/default/queue/id:000000,time:0,execs:0,orig:seed0 \(null\)$" log
assert_grep "^new out/default/queue/id:000001,[^ ]* out/default/queue/id:[0-9]{6},[^ ]*$" log
assert_grep '^init program=\./magic argv=$' log
assert_grep '^init out=out/default input=$' log
assert_grep '^deinit$' log

# the same seed, from the environment this time: the same queue and
# crash contents
rm -f log
AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/custom.so" "$FERRET" fuzz -i in -o out2 -s 1 -E 2000 \
	-- ./magic 2>fuzz2.log || { tail -n 5 fuzz2.log >&2; fail "second run exited non-zero"; }
assert_grep "^init out=out2/default input=$" log
for d in queue crashes; do
	(cd out/default/$d && cat id:*) | cksum >a.sum
	(cd out2/default/$d && cat id:*) | cksum >b.sum
	cmp -s a.sum b.sum || fail "$d differs between two runs with -s 1"
done

# post_process (it appends '#'): every saved input is what ran
CUSTOM_MUTATOR_POST=1 "$FERRET" fuzz -i in -o out3 -s 1 -E 2000 --custom-mutator ./custom.so \
	-- ./magic 2>fuzz3.log || { tail -n 5 fuzz3.log >&2; fail "post_process run exited non-zero"; }
[ "$(count_files out3/default/crashes)" -ge 1 ] || fail "post_process run: no crash"
for f in out3/default/queue/id:* out3/default/crashes/id:*; do
	case "$f" in *orig:*) continue ;; esac
	[ "$(tail -c 1 "$f")" = '#' ] || fail "post_process: $f does not end with '#'"
done
"$FERRET" run "$crash" -- ./magic >run.out 2>&1 && fail "ferret run: the crash does not reproduce"
exit 0
