#!/bin/sh
# t6008: plain ./tests generates examples (issue 13). tests/targets/
# smith_gen.c has small_bytes (fails when a "byte" is over 200) and
# sum_fits (never fails). Plain ./gen, with no testdata, runs 100
# generated examples per test: small_bytes fails, exit 1; the failing
# example is shrunk silently (one assertion line on stderr), saved once as
# testdata/small_bytes/crash-<sha1> (the path printed), and printed as
# `ferret show` renders it, labels and file:line included. A second plain
# run replays the saved file and fails the same way. --examples 0 (and
# FERRET_TEST_EXAMPLES=0) runs only the empty stream and passes. Two runs
# print the same example; --seed (and FERRET_TEST_SEED) changes it. --tap
# (and FERRET_TEST_FORMAT=tap) prints TAP version 13 that TAP::Parser
# reads without error. The -DFIXED build passes with 100 examples each.
# `ferret show --c` prints a FERRET_EXAMPLE that compiles beside the test
# and fails the same way with no testdata (and passes once fixed).
. "$(dirname "$0")/lib.sh"

"$FCC" --fuzzer -O1 -g -o gen "$TARGETS/smith_gen.c"
"$FCC" --fuzzer -O1 -g -DFIXED -o fixed "$TARGETS/smith_gen.c"

rc=0
./gen >plain.out 2>plain.err || rc=$?
assert_eq 1 "$rc" "plain ./gen (the bug must be found by a generated example)"
dir=testdata/small_bytes
assert_eq 1 "$(ls -A $dir | wc -l | tr -d ' ')" "files in $dir ($(ls -A $dir | tr '\n' ' '))"
f=$dir/$(ls $dir)
assert_eq "crash-$(sha1sum <"$f" | cut -d' ' -f1)" "$(basename "$f")" "saved file named by its sha1"
assert_grep "^FAIL small_bytes: $f \(signal 6 \(SIGABRT\)\)\$" plain.out
assert_grep '^     found:  generated example [0-9]+ of 100 \(seed [0-9a-f]{16}\), shrunk from [0-9]+ to [0-9]+ values drawn$' plain.out
assert_grep "^     # $f: value stream v1, seed [0-9a-f]{16}, [0-9]+ values\$" plain.out
assert_grep '^ +1  smith_gen\.c:[0-9]+ +[1-6]$' plain.out
assert_grep '^ +[0-9]+  byte +(20[1-9]|2[1-5][0-9])$' plain.out
assert_grep "^     replay: \./gen --run small_bytes $f\$" plain.out
assert_grep '^ok +sum_fits \(0 saved inputs, (100|[0-9]+ of 100) examples' plain.out
assert_grep '^tests: 1 passed, 1 failed$' plain.out
assert_eq 1 "$(grep -c 'assertion failed' plain.err)" "assertion lines on stderr (shrinking is silent)"
msg=$(grep -o 'assertion failed: smith_gen\.c:[0-9]*: v <= BOUND' plain.err)
# the example printed is the saved file as `ferret show` renders it
"$FERRET" show "$f" >show.out
sed -n '/^     # /,/^     replay:/p' plain.out | sed -e '$d' -e 's/^     //' >printed
diff show.out printed >&2 || fail "the printed example differs from ferret show $f"

# --run prints the same values after its Failed line
rc=0
./gen --run small_bytes "$f" >run.out 2>&1 || rc=$?
assert_eq 1 "$rc" "--run on the saved failure"
assert_grep "^Failed: $f \(signal 6 \(SIGABRT\)\)\$" run.out
sed -n '/^  # /,$p' run.out | sed 's/^  //' >run.values
diff show.out run.values >&2 || fail "--run prints other values than ferret show"

# a second plain run replays the saved file: the same failure, nothing new
rc=0
./gen >again.out 2>again.err || rc=$?
assert_eq 1 "$rc" "plain ./gen with the failure saved"
assert_grep "^FAIL small_bytes: $f \(signal 6 \(SIGABRT\)\)\$" again.out
assert_no_grep 'found:' again.out
assert_eq "$msg" "$(grep -o 'assertion failed: .*' again.err)" "assertion of the replay"
assert_eq 1 "$(ls -A $dir | wc -l | tr -d ' ')" "files in $dir after the replay"
sed -n '/^     # /,/^     replay:/p' again.out | sed -e '$d' -e 's/^     //' >printed2
diff show.out printed2 >&2 || fail "the replay prints another example"

# --examples 0: the empty stream only
rc=0
./gen --examples 0 --dir none >zero.out 2>&1 || rc=$?
assert_eq 0 "$rc" "--examples 0"
assert_grep '^ok +small_bytes \(0 saved inputs, 0 examples\)$' zero.out
rc=0
FERRET_TEST_EXAMPLES=0 ./gen --dir none >zero-env.out 2>&1 || rc=$?
assert_eq 0 "$rc" "FERRET_TEST_EXAMPLES=0"
[ ! -e none ] || fail "--examples 0 saved something in none/"

# determinism: two runs print the same example; --seed changes it
./gen --dir d1 >d1.out 2>/dev/null || true
./gen --dir d2 >d2.out 2>/dev/null || true
sed 's#^\(.*\)d1/#\1D/#' d1.out >d1.norm
sed 's#^\(.*\)d2/#\1D/#' d2.out >d2.norm
diff d1.norm d2.norm >&2 || fail "two runs print different examples"
assert_eq "$(ls d1/small_bytes)" "$(ls d2/small_bytes)" "saved file of two runs"
./gen --seed 7 --dir s7 >s7.out 2>/dev/null || true
FERRET_TEST_SEED=7 ./gen --dir s7env >s7env.out 2>/dev/null || true
found() { grep -o 'generated example .*' "$1"; }
assert_ne "$(found d1.out)" "$(found s7.out)" "the example found with --seed 7 and without"
assert_eq "$(found s7.out)" "$(found s7env.out)" "--seed 7 and FERRET_TEST_SEED=7"

# TAP version 13
rc=0
./gen --tap --dir tap >tap.out 2>/dev/null || rc=$?
assert_eq 1 "$rc" "exit status with --tap"
assert_eq 'TAP version 13' "$(sed -n 1p tap.out)" "TAP line 1"
assert_eq '1..2' "$(sed -n 2p tap.out)" "TAP plan"
assert_eq 'not ok 1 - small_bytes' "$(sed -n 3p tap.out)" "TAP test 1"
assert_eq '  ---' "$(sed -n 4p tap.out)" "TAP YAML start"
assert_eq '  message: "signal 6 (SIGABRT)"' "$(sed -n 5p tap.out)" "TAP message"
assert_grep '^  input: "tap/small_bytes/crash-[0-9a-f]{40}"$' tap.out
assert_grep '^  values: \|$' tap.out
assert_grep '^        [0-9]+  byte +2[0-9][0-9]$' tap.out
assert_grep '^  \.\.\.$' tap.out
assert_grep '^ok 2 - sum_fits$' tap.out
assert_grep '^# tests: 1 passed, 1 failed$' tap.out
FERRET_TEST_FORMAT=tap ./gen --dir tap >tap-env.out 2>/dev/null || true
assert_eq 'not ok 1 - small_bytes' "$(sed -n 3p tap-env.out)" "FERRET_TEST_FORMAT=tap"
if perl -MTAP::Parser -e 1 2>/dev/null; then
	perl -MTAP::Parser -e '
		local $/; my $p = TAP::Parser->new({tap => <STDIN>});
		while (my $r = $p->next) {}
		my @e = $p->parse_errors;
		print "errors=", scalar(@e), " version=", $p->version, " tests=", $p->tests_run,
		      " failed=", scalar($p->failed), "\n";' <tap.out >parsed
	assert_eq 'errors=0 version=13 tests=2 failed=1' "$(cat parsed)" "TAP::Parser on tap.out"
fi

# a passing binary: 100 examples each
rc=0
./fixed --budget 0 --dir fixed-data >fixed.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the fixed build"
assert_grep '^ok +small_bytes \(0 saved inputs, 100 examples\)$' fixed.out
assert_grep '^ok +sum_fits \(0 saved inputs, 100 examples\)$' fixed.out

# ferret show --c: a regression that compiles and fails the same way
"$FERRET" show --c "$f" >regress.c 2>show-c.err || fail "ferret show --c $f"
assert_grep '^FERRET_EXAMPLE\(small_bytes, ferret_example_[0-9a-f]{12}\);$' regress.c
mkdir fresh
cd fresh
"$FCC" --fuzzer -O1 -g -o gen "$TARGETS/smith_gen.c" ../regress.c
"$FCC" --fuzzer -O1 -g -DFIXED -o fixed "$TARGETS/smith_gen.c" ../regress.c
rc=0
./gen --examples 0 >regress.out 2>regress.err || rc=$?
assert_eq 1 "$rc" "the test with the pasted regression, no testdata"
assert_grep '^FAIL small_bytes: FERRET_EXAMPLE at \.\./regress\.c:[0-9]+ \(signal 6 \(SIGABRT\)\)$' regress.out
assert_eq "$msg" "$(grep -o 'assertion failed: .*' regress.err)" "assertion of the regression"
sed -n '/^     # /,$p' regress.out | sed -n '2,/^ok/p' | sed '$d' >values
sed 1d ../show.out | sed 's/^/     /' >values.expected
[ -s values ] || fail "no values printed for the regression"
diff values.expected values >&2 || fail "the regression draws other values"
rc=0
./fixed >fixed.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the fixed build with the regression"
assert_grep '^ok +small_bytes \(1 FERRET_EXAMPLE, 0 saved inputs, ' fixed.out

rc=0
./gen --examples many >bad.out 2>&1 || rc=$?
assert_ne 0 "$rc" "--examples many"
assert_eq "ferret: invalid value 'many' for --examples: expected a number" "$(cat bad.out)" "--examples many"
