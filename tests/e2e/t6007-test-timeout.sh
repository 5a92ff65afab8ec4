#!/bin/sh
# t6007: a FERRET_TEST that hangs on a saved input fails, it does not hang
# ./tests. tests/targets/smith_hang.c hangs on the value 7 of its "hang"
# label after starting a grandchild that sleeps. With a hand-made stream
# holding that 7 saved in testdata/hang_on_7/: plain ./hangs --timeout 1
# (and FERRET_TEST_TIMEOUT=1 ./hangs) prints a FAIL line naming the
# timeout and exits 1 (with no testdata, --examples 0 passes, and a
# generated example drawing the 7 is caught the same way and saved as
# timeout-<sha1>); --run prints "Failed: FILE (timeout after 1 s)";
# --shrink says a timeout is not shrunk and keeps the file; --fuzz
# -timeout=1 -seed=1 finds the hang itself (exit 70, a timeout-<sha1>
# stream) and its shrinking step does not hang either. After each, no
# process of the grandchild's group is left. Each command runs under
# `timeout 60`: before the watcher, the replay and the shrinking had no
# timeout at all. --help documents the default (10 s); a bad --timeout is
# one error line.
# cost: 9 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

"$FCC" --fuzzer -O1 -g -o hangs "$TARGETS/smith_hang.c"
export SMITH_HANG_PIDS="$PWD/pids"
assert_eq hang_on_7 "$(./hangs --list)" "--list"

rc=0
timeout 60 ./hangs --examples 0 >empty.out 2>&1 || rc=$?
assert_eq 0 "$rc" "./hangs --examples 0 with no corpus (the empty stream's value is 0)"

# a generated example draws the 7 (one in ten does): its hang is caught
# by the watcher too, saved as timeout-<sha1> (not shrunk), exit 1
rc=0
timeout 60 ./hangs --timeout 1 --dir gen >gen.out 2>&1 || rc=$?
assert_eq 1 "$rc" "plain ./hangs --timeout 1 generating examples (124: it hung)"
gto=gen/hang_on_7/$(ls gen/hang_on_7)
assert_grep "^FAIL hang_on_7: $gto \(timeout after 1 s\)\$" gen.out
assert_grep '^ +1  hang +7$' gen.out
assert_eq "timeout-$(sha1sum <"$gto" | cut -d' ' -f1)" "$(basename "$gto")" "generated timeout named by its sha1"
assert_none_left pids "the generated hanging example"

# le N BYTES: N as BYTES little-endian bytes
le() {
	_v=$1 _k=0
	while [ "$_k" -lt "$2" ]; do
		# shellcheck disable=SC2059 # the format is the octal escape
		printf "\\$(printf %03o $((_v & 255)))"
		_v=$((_v >> 8)) _k=$((_k + 1))
	done
}
# fnv1a TEXT: the uid of a label (ferret__uid)
fnv1a() {
	_h=2166136261 _s=$1
	while [ -n "$_s" ]; do
		_rest=${_s#?}
		_c=${_s%"$_rest"}
		_h=$((((_h ^ $(printf %d "'$_c")) * 16777619) & 0xffffffff))
		_s=$_rest
	done
	echo "$_h"
}
dir=testdata/hang_on_7
mkdir -p $dir
saved=$dir/seven
uid=$(fnv1a hang)
{ printf 'FVS\001'; le 0 8; le "$uid" 4; printf '\004'; le 4 4; printf hang; le "$uid" 4; printf '\001'; le 7 8; } >$saved
"$FERRET" show $saved >show.out || fail "ferret show $saved"
assert_grep '^ +1  hang +7$' show.out

t0=$(date +%s)
rc=0
timeout 60 ./hangs --timeout 1 >plain.out 2>&1 || rc=$?
assert_eq 1 "$rc" "plain ./hangs --timeout 1 on the hanging input (124: it hung)"
assert_grep "^FAIL hang_on_7: $saved \(timeout after 1 s\)\$" plain.out
assert_grep '^tests: 0 passed, 1 failed$' plain.out
assert_none_left pids "plain ./hangs --timeout 1"
[ $(($(date +%s) - t0)) -lt 30 ] || fail "the timed-out replay took $(($(date +%s) - t0)) s"

rc=0
FERRET_TEST_TIMEOUT=1 timeout 60 ./hangs >env.out 2>&1 || rc=$?
assert_eq 1 "$rc" "FERRET_TEST_TIMEOUT=1 ./hangs (124: it hung)"
assert_grep "^FAIL hang_on_7: $saved \(timeout after 1 s\)\$" env.out
assert_none_left pids "FERRET_TEST_TIMEOUT=1 ./hangs"

rc=0
timeout 60 ./hangs --timeout 1 --run hang_on_7 $saved >run.out 2>&1 || rc=$?
assert_eq 1 "$rc" "--run on the hanging input (124: it hung)"
assert_grep "^Failed: $saved \(timeout after 1 s\)\$" run.out
assert_none_left pids "--run"

rc=0
timeout 60 ./hangs --timeout 1 --shrink hang_on_7 $saved >shrink.out 2>&1 || rc=$?
assert_eq 0 "$rc" "--shrink on the hanging input (124: it hung)"
assert_grep '^ferret: not shrinking a timeout after 1 s' shrink.out
[ -f $saved ] || fail "--shrink removed $saved"
assert_none_left pids "--shrink"

# --fuzz finds the hang by itself; the shrinking step after it ends too
rm -rf testdata
rc=0
timeout 120 ./hangs --fuzz hang_on_7 -seed=1 -runs=100000 -timeout=1 >fuzz.out 2>&1 || rc=$?
assert_eq 70 "$rc" "--fuzz on a hanging test (-timeout_exitcode; 124: it hung)"
assert_grep '^==[0-9]+== ERROR: libFuzzer: timeout after 1 seconds$' fuzz.out
assert_grep '^ferret: not shrinking a timeout after 1 s' fuzz.out
assert_eq 1 "$(ls $dir | grep -Ec '^timeout-[0-9a-f]{40}$' || true)" "timeout- files in $dir ($(ls -A $dir | tr '\n' ' '))"
assert_eq "" "$(ls -A $dir | grep '^\.' || true)" "hidden (temporary) files in $dir"
to=$dir/$(ls $dir | grep '^timeout-')
assert_eq "timeout-$(sha1sum <"$to" | cut -d' ' -f1)" "$(basename "$to")" "timeout stream named by its sha1"
assert_none_left pids "--fuzz"
rc=0
timeout 60 ./hangs --timeout 1 >plain2.out 2>&1 || rc=$?
assert_eq 1 "$rc" "plain ./hangs on the stream --fuzz saved"
assert_grep "^FAIL hang_on_7: $to \(timeout after 1 s\)\$" plain2.out
assert_none_left pids "plain ./hangs on the saved timeout"

# the default is documented; a bad value is one line
./hangs --help >help.out 2>&1 || true
assert_grep '--timeout SECONDS \(default \$FERRET_TEST_TIMEOUT, else 10; 0: none\)' help.out
rc=0
./hangs --timeout soon >bad.out 2>&1 || rc=$?
assert_ne 0 "$rc" "exit status with --timeout soon"
assert_eq "ferret: invalid value 'soon' for --timeout: expected seconds" "$(cat bad.out)" "--timeout soon"
