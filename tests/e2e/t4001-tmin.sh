#!/bin/sh
# t4001: `ferret tmin` shrinks 200 bytes with "BUG" in the middle to exactly
# "BUG" that still crashes with SIGSEGV, for a stdin program and for a
# libFuzzer-style harness (ferret-cc -fsanitize=fuzzer, with and without
# @@); in non-crash mode it keeps the coverage map (and with -e the edges)
# while padding goes; a cut reaching another crash site with the same
# signal is not taken; -x makes a non-zero exit a crash; the same input takes
# the same steps twice; a cut that times out is not taken; bad command lines give one error line.
. "$(dirname "$0")/lib.sh"

build bug bug_stdin.c
build key tmin_key.c
build exit3 exit_three.c
build hang hang_first_a.c
"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_bug.c"

pad() { head -c "$1" /dev/zero | tr '\0' "$2"; }
{ pad 100 a; printf BUG; pad 97 a; } >in
assert_eq 200 "$(wc -c <in)" "input size"

# tmin_ok OUT LOG ARGS...: runs ferret tmin, fails with its log otherwise
tmin_ok() {
	_out=$1 _log=$2
	shift 2
	"$FERRET" tmin -i in -o "$_out" "$@" >"$_log" 2>&1 ||
		{ tail -n 5 "$_log" >&2; fail "ferret tmin $* exited non-zero"; }
}

# (1) crash mode, a ferret-cc stdin program
tmin_ok out1 log1 -- ./bug
assert_eq BUG "$(cat out1)" "stdin program: minimised crash"
assert_grep '^\[\+\] The target crashes: signal 11 \(SIGSEGV\)' log1
assert_grep '^tmin: 200 -> 3 bytes, [0-9]+ executions$' log1
rc=0
"$FERRET" run out1 -- ./bug >run1.out 2>&1 || rc=$?
assert_eq "out1: crash: signal 11 (SIGSEGV)" "$(cat run1.out)" "the minimised input crashes"
sed -n 's/^tmin: //p' log1 # the numbers, for the log

# the same input takes the same steps
tmin_ok out1b log1b -- ./bug
assert_eq "$(grep '^tmin:' log1)" "$(grep '^tmin:' log1b)" "two runs of the same input"

# a cut that still aborts, but in another function, is another bug: the
# crash site stays (the triage signature, not only the signal)
build two tmin_two_sites.c
{ printf 'BUG!'; pad 60 a; } >in_two
"$FERRET" tmin -i in_two -o out_two -- ./two >log_two 2>&1 ||
	{ tail -n 5 log_two >&2; fail "ferret tmin of two crash sites exited non-zero"; }
assert_eq 'BUG!' "$(cat out_two)" "two crash sites: minimised crash"
assert_grep '^\[\+\] The target crashes: signal 6 \(SIGABRT\); crash mode: keeping that crash \(SIGABRT: bug_one tmin_two_sites\.c:[0-9]+ / main ' log_two

# (2) a libFuzzer-style harness, the input as @@ and (added) without it
tmin_ok out2 log2 -- ./harness @@
assert_eq BUG "$(cat out2)" "harness with @@: minimised crash"
assert_grep '^tmin: 200 -> 3 bytes, [0-9]+ executions$' log2
tmin_ok out3 log3 -- ./harness
assert_eq BUG "$(cat out3)" "harness without @@: minimised crash"
rc=0
./harness out2 >harness.out 2>&1 || rc=$?
assert_eq 1 "$rc" "the harness on the minimised input"
assert_ubsan_signal SEGV harness.out # UBSan's report, as with clang's libFuzzer

# (3) non-crash mode: the map is kept, the padding goes
{ printf KEY; pad 197 z; } >in
tmin_ok out4 log4 -- ./key
assert_grep '^\[\+\] The target does not crash' log4
assert_eq KEY00000000000000 "$(cat out4)" "non-crash mode: minimised input"
"$FERRET" showmap -o map.in in -- ./key 2>/dev/null
"$FERRET" showmap -o map.out out4 -- ./key 2>/dev/null
assert_eq "$(cat map.in)" "$(cat map.out)" "showmap of IN and OUT"
tmin_ok out5 log5 -e -- ./key
assert_eq KEY00000000000000 "$(cat out5)" "non-crash mode -e: minimised input"

# -x: exit 3 is a crash, kept down to the empty input
printf 'abcdef' >in
tmin_ok out6 log6 -x -- ./exit3
assert_grep '^\[\+\] The target crashes: exit 3' log6
assert_eq 0 "$(wc -c <out6)" "-x: minimised size"
tmin_ok out7 log7 -- ./exit3
assert_grep '^\[\+\] The target does not crash: exit 3' log7

# a timeout is never the same: cutting the 'b' of "bAAAA..." makes the
# program hang on the leading 'A', and that cut is not taken
printf 'bAAAAAAAAAAAAAAAAAAA' >in
tmin_ok out8 log8 -t 100 -- ./hang
assert_grep '^\[\+\] Fruitless executions: map=0 crash=0 hang=[1-9]' log8
case "$(cat out8)" in A*) fail "a hanging input was kept: '$(cat out8)'" ;; esac

# (4) bad command lines: one error line, non-zero exit, no output
mkdir dir
bad() {
	rc=0
	"$FERRET" tmin "$@" >bad.out 2>bad.err || rc=$?
	assert_ne 0 "$rc" "exit status of ferret tmin $*"
	assert_eq 1 "$(wc -l <bad.err)" "error lines of ferret tmin $*"
	[ ! -e bad ] || fail "ferret tmin $* wrote its output"
}
bad -i missing -o bad -- ./bug
bad -i dir -o bad -- ./bug
bad -i in -o bad
bad -i in -o bad --
bad -i in -o bad -- ./no-such-program
bad -o bad -- ./bug
bad -i in -- ./bug
bad -i in -o bad -t x -- ./bug
bad -i in -o bad -q -- ./bug
bad -i in -o no-such-dir/bad -- ./bug
"$FERRET" tmin --help >help.out
assert_grep '^usage: ferret tmin -i IN -o OUT' help.out
