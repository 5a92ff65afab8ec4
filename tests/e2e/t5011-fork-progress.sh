#!/bin/sh
# t5011: -fork=1 -ignore_crashes=1 gets past the first bug (issue 10). The
# harness (tests/targets/lf_three_bugs.c) has three bugs; input-to-state
# derives the abort() one from any corpus within a few dozen executions,
# so a restarted worker that may run an input which killed an earlier
# worker dies on it again at once: before the fix, 24,982 restarts in 43 s
# and one crash file for 100,000 runs. Every worker now skips the inputs
# that killed one before it. With -seed=3 -runs=100000: the run wraps up
# once -runs is spent, with crash files of all three bugs, and each of
# them crashes again when run alone. (Jobs start from parts of the corpus
# drawn at random, as libFuzzer's: over seeds 1-4, 0 to 47 crash files
# of the rarest bug, 'Q'; seed 3 gave 47.)
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_three_bugs.c"

mkdir -p corpus
rc=0
./harness -fork=1 -ignore_crashes=1 -seed=3 -runs=100000 corpus >fork.out 2>fork.err || rc=$?
assert_grep "^INFO: exiting: $rc time: [0-9]+s\$" fork.err
assert_grep '^INFO: fuzzed for [0-9]+ iterations, wrapping up soon$' fork.err

files=$(ls | grep -E '^crash-[0-9a-f]{40}$' || true)
[ -n "$files" ] || fail "no crash file"
for kind in ABORT123 Q TRAP; do
	n=0
	for f in $files; do
		case $(head -c 8 "$f") in "$kind"*) n=$((n + 1)) ;; esac
	done
	[ "$n" -ge 1 ] || fail "no crash file starting '$kind' among $(echo "$files" | wc -l) ($(grep -c ' job: ' fork.err) jobs)"
done
# every one is a real crash of its own
for f in $files; do
	rc=0
	./harness "$f" >/dev/null 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || fail "$f does not crash when run alone"
done
echo "$(echo "$files" | wc -l) crash files, $(grep -c ' job: ' fork.err) jobs"
