#!/bin/sh
# t6001: passive minimization of a FERRET_TEST corpus. tests/targets/
# smith_branches.c (eight independent branches, never failing) is fuzzed
# for a bounded run with a fixed seed. Entries are kept when they reach a
# new edge or beat the kept best for an edge, and dropped (from disk too)
# when they are best for nothing, so more entries are announced (NEW lines)
# than are left in testdata/branches; no crash is saved, and every file
# left replays without failing, alone and through plain ./branches (which
# then passes its 100 generated examples too).
# Measured when written: 138 NEW lines, 23 files left.
. "$(dirname "$0")/lib.sh"

"$FCC" --fuzzer -O1 -g -o branches "$TARGETS/smith_branches.c"

rc=0
./branches --fuzz branches -runs=50000 -seed=1 >fuzz.out 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { tail -n 5 fuzz.out >&2; fail "--fuzz exited $rc"; }
assert_grep '^Done 50000 runs' fuzz.out
dir=testdata/branches
new=$(grep -c '	NEW ' fuzz.out || true)
left=$(ls "$dir" | wc -l)
echo "$new NEW lines, $left files left" # for the log
assert_eq 0 "$(ls "$dir" | grep -c '^crash-' || true)" "crash files"
[ "$left" -ge 2 ] || fail "only $left files left in $dir"
[ "$new" -gt "$left" ] || fail "$new NEW lines but $left files left: nothing was dropped"

# every file left is a whole value stream that replays without failing
for f in "$dir"/*; do
	"$FERRET" show "$f" >/dev/null 2>show.err || { cat show.err >&2; fail "ferret show $f"; }
	./branches --run branches "$f" >run.out 2>&1 || { cat run.out >&2; fail "--run $f fails"; }
	assert_grep "^Passed: $f\$" run.out
done
rc=0
./branches --budget 0 >plain.out 2>&1 || rc=$?
assert_eq 0 "$rc" "plain ./branches on the minimized corpus and 100 examples"
assert_grep "^ok +branches \($left saved inputs, 100 examples\)" plain.out
