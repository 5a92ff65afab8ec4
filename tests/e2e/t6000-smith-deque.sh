#!/bin/sh
# t6000: the Smith workflow on examples/deque, end to end. The FERRET_TEST
# binary lists its test and passes with no corpus and no generated
# examples (--examples 0: the empty stream alone); plain ./deque_test finds
# the bug among its 100 generated examples and saves it shrunk; --fuzz with a fixed seed
# finds the planted bug, saves one crash-<sha1> stream (named by its
# content) in testdata/deque_matches_model/ and shrinks it (N to M values,
# M < N); --run replays it with the same assertion message; `ferret show`
# renders it with call sites and values; plain ./deque_test then fails on
# the saved crash (exit 1); the deque with the bug removed passes on the
# same testdata.
. "$(dirname "$0")/lib.sh"

ex="$TOP/examples/deque"
"$FCC" --fuzzer -o deque_test "$ex/deque_test.c" "$ex/deque.c"

./deque_test --list >list.out
assert_eq deque_matches_model "$(cat list.out)" "--list"

rc=0
./deque_test --examples 0 >plain.out 2>&1 || rc=$?
assert_eq 0 "$rc" "./deque_test --examples 0 with no corpus"
assert_grep '^ok +deque_matches_model \(0 saved inputs, 0 examples\)' plain.out
assert_grep '^tests: 1 passed, 0 failed' plain.out

# plain ./deque_test generates 100 examples: one of them finds the bug
# (example 8 when written), saved shrunk in gen/ (kept apart from the
# --fuzz run below)
rc=0
./deque_test --dir gen >gen.out 2>&1 || rc=$?
assert_eq 1 "$rc" "plain ./deque_test (generated examples)"
gcrash=gen/deque_matches_model/$(ls gen/deque_matches_model)
assert_grep "^FAIL deque_matches_model: $gcrash \(signal 6 \(SIGABRT\)\)\$" gen.out
assert_grep '^     found:  generated example [0-9]+ of 100 ' gen.out
assert_grep '^ +1  deque_test\.c:[0-9]+ +0$' gen.out

rc=0
./deque_test --fuzz deque_matches_model -seed=1 -runs=200000 >fuzz.out 2>&1 || rc=$?
assert_ne 0 "$rc" "exit status of --fuzz (the bug must be found)"
dir=testdata/deque_matches_model
crashes=$(ls "$dir" | grep -c '^crash-' || true)
assert_eq 1 "$crashes" "crash files in $dir ($(ls "$dir" | tr '\n' ' '))"
crash=$dir/$(ls "$dir" | grep '^crash-')
assert_eq "crash-$(sha1sum <"$crash" | cut -d' ' -f1)" "$(basename "$crash")" "crash file named by its sha1"
assert_grep 'assertion failed: deque_test\.c:[0-9]+: ' fuzz.out
assert_grep 'shrunk the failing input from [0-9]+ to [0-9]+ values' fuzz.out
n=$(sed -n 's/.*shrunk the failing input from \([0-9]*\) to \([0-9]*\) values.*/\1/p' fuzz.out)
m=$(sed -n 's/.*shrunk the failing input from \([0-9]*\) to \([0-9]*\) values.*/\2/p' fuzz.out)
[ "$m" -le "$n" ] || fail "shrinking grew the failing input: $n to $m values"
# the saved failure is a local minimum (with value-level compare feedback
# and block mutations the fuzzer may find one that is minimal already):
# shrinking it again finds nothing smaller
cp "$crash" again
./deque_test --shrink deque_matches_model again >again.out 2>&1 || true
assert_grep "shrunk the failing input from $m to $m values" again.out
echo "shrunk from $n to $m values" # for the log
assert_grep "failing input saved as $crash\$" fuzz.out

# --run replays it: the same assertion, a failing exit
first=$(grep -m1 -o 'assertion failed: deque_test\.c:[0-9]*: .*' fuzz.out)
rc=0
./deque_test --run deque_matches_model "$crash" >run.out 2>&1 || rc=$?
assert_ne 0 "$rc" "exit status of --run on the crash"
assert_grep 'assertion failed: deque_test\.c:' run.out
assert_eq "$first" "$(grep -m1 -o 'assertion failed: deque_test\.c:[0-9]*: .*' run.out)" "assertion message of --run"

# a damaged stream (the crash cut in the middle of a record, or bytes that
# were never a stream) is an error, never "Passed" (issue 10)
printf 'not a value stream' >garbage
rc=0
./deque_test --run deque_matches_model garbage >garbage.out 2>&1 || rc=$?
assert_ne 0 "$rc" "exit status of --run on a file that is no value stream"
assert_grep 'is not a value stream' garbage.out
assert_no_grep '^Passed' garbage.out

# ferret show renders it: a header, then one line per value with its call site
rc=0
"$FERRET" show "$crash" >show.out 2>show.err || rc=$?
assert_eq 0 "$rc" "exit status of ferret show"
assert_eq "" "$(cat show.err)" "stderr of ferret show"
assert_grep "^# $crash: value stream v1, seed [0-9a-f]{16}, [0-9]+ values\$" show.out
values=$(sed -n 's/.*, \([0-9]*\) values$/\1/p' show.out)
[ "$values" -ge 1 ] || fail "ferret show: $values values"
assert_eq "$values" "$(grep -cE '^ +[0-9]+  deque_test\.c:[0-9]+ +[0-9]+' show.out)" "value lines with call sites"
# the call sites of the test's eos, op choice and pushed values
assert_grep '^ +1  deque_test\.c:[0-9]+ +0$' show.out

# plain ./deque_test now replays the saved crash and fails (before it
# generates any example)
rc=0
./deque_test >plain2.out 2>&1 || rc=$?
assert_eq 1 "$rc" "plain ./deque_test with the crash saved"
assert_grep "^FAIL deque_matches_model: $crash \(signal 6 \(SIGABRT\)\)" plain2.out
assert_grep "replay: \./deque_test --run deque_matches_model $crash" plain2.out
assert_grep '^tests: 0 passed, 1 failed' plain2.out

# the fixed deque passes on the same testdata
mkdir fixed
sed -e '/rest && d->head >= 2/d' -e '/rest--;/d' "$ex/deque.c" >fixed/deque.c
assert_eq 0 "$(grep -c 'rest--' fixed/deque.c || true)" "bug line removed"
assert_eq 2 "$(($(wc -l <"$ex/deque.c") - $(wc -l <fixed/deque.c)))" "lines removed by sed"
"$FCC" --fuzzer -I"$ex" -o deque_fixed "$ex/deque_test.c" fixed/deque.c
rc=0
./deque_fixed >fixed.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the fixed deque on the saved testdata"
assert_grep '^ok +deque_matches_model \([1-9][0-9]* saved inputs, (100|[0-9]+ of 100) examples' fixed.out
rc=0
./deque_fixed --run deque_matches_model "$crash" >fixed-run.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the fixed deque on the crash"
assert_grep "^Passed: $crash\$" fixed-run.out
