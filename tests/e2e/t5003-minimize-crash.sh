#!/bin/sh
# t5003: -minimize_crash=1 shrinks a 500-byte input that crashes a harness
# (SIGSEGV whenever "BUG" occurs in it) to at most 10 bytes, written to
# -exact_artifact_path, which still crashes when run alone. As libFuzzer,
# it runs the harness as a command twice per step (the "CRASH_MIN:
# executing:" lines are the commands run): on the input alone, then with
# -minimize_crash_internal_step=1; without -exact_artifact_path each step
# writes ./minimized-from-<sha1 of that step's input>, and the last line
# names the smallest. An input that does not crash is refused with a
# non-zero exit.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_bug.c"

# 500 bytes: 250 filler, BUG, 247 filler (no accidental "BUG" in the filler)
{
	head -c 250 /dev/zero | tr '\0' 'x'
	printf 'BUG'
	head -c 247 /dev/zero | tr '\0' 'y'
} >crashfile
assert_eq 500 "$(wc -c <crashfile | tr -d ' ')" "size of the crashing input"
rc=0
./harness crashfile >/dev/null 2>orig.err || rc=$?
assert_ne 0 "$rc" "the original input crashes"

rc=0
./harness -minimize_crash=1 -runs=20000 -exact_artifact_path=min crashfile >min.out 2>min.err || rc=$?
assert_eq 0 "$rc" "exit status of -minimize_crash=1"
[ -f min ] || { tail -n 5 min.err >&2; fail "-minimize_crash did not write 'min'"; }
assert_grep 'Test unit written to min$' min.err
size=$(wc -c <min | tr -d ' ')
[ "$size" -le 10 ] || fail "minimized crash is $size bytes, expected <= 10"
grep -q BUG min || fail "minimized crash lost 'BUG': $(od -An -c min)"
rc=0
./harness min >/dev/null 2>min-run.err || rc=$?
assert_eq 1 "$rc" "the minimized input still crashes"
assert_ubsan_signal SEGV min-run.err

assert_grep '^CRASH_MIN: executing: \./harness -runs=20000 crashfile 2>&1$' min.err
assert_grep '^CRASH_MIN: executing: \./harness -runs=20000 crashfile -minimize_crash_internal_step=1 -exact_artifact_path=min 2>&1$' min.err
assert_grep '^CRASH_MIN: executing: \./harness -runs=20000 min -minimize_crash_internal_step=1 -exact_artifact_path=min 2>&1$' min.err
assert_grep "^CRASH_MIN: failed to minimize beyond min \($size bytes\), exiting\$" min.err

# default names: minimized-from-<sha1 of each step's input>, the first
# one's the original's
orig_sha=$(sha1sum <crashfile | cut -d' ' -f1)
./harness -minimize_crash=1 -runs=20000 crashfile >/dev/null 2>min2.err ||
	fail "-minimize_crash=1 without -exact_artifact_path exited non-zero"
[ -f "minimized-from-$orig_sha" ] || fail "no minimized-from-$orig_sha: $(ls)"
assert_grep "^CRASH_MIN: executing: \./harness -runs=20000 crashfile -minimize_crash_internal_step=1 -exact_artifact_path=\./minimized-from-$orig_sha 2>&1\$" min2.err
sed -n 's/^CRASH_MIN: executing: .* \([^ ]*\) -minimize_crash_internal_step=1 -exact_artifact_path=\([^ ]*\) 2>&1$/\1 \2/p' min2.err >steps
[ "$(wc -l <steps)" -ge 2 ] || fail "fewer than two steps: $(cat steps)"
while read -r from to; do
	assert_eq "./minimized-from-$(sha1sum <"$from" | cut -d' ' -f1)" "$to" "the artifact of the step on $from"
done <steps
last=$(sed -n 's/^CRASH_MIN: failed to minimize beyond \(.*\) ([0-9]* bytes), exiting$/\1/p' min2.err)
[ -f "$last" ] || fail "no last step's file '$last': $(tail -n 3 min2.err)"
[ "$(wc -c <"$last" | tr -d ' ')" -le 10 ] || fail "$last is not small"
grep -q BUG "$last" || fail "$last lost 'BUG'"

# a non-crashing input is refused
printf 'harmless' >fine
rc=0
./harness -minimize_crash=1 -runs=1000 -exact_artifact_path=nope fine >/dev/null 2>fine.err || rc=$?
assert_ne 0 "$rc" "exit status of -minimize_crash=1 on an input that does not crash"
assert_grep '^ERROR: the input fine did not crash$' fine.err
[ ! -e nope ] || fail "an artifact was written for an input that does not crash"
