#!/bin/sh
# t4003: crash triage (issue 12). A target with two bugs in two functions
# (tests/targets/two_bugs.c: a NULL store in parse_a on 'A', abort() in
# check_b on 'B', each reached by many paths: several crash files), fuzzed from seeds one bit away from each: every crash
# gets a signature from the frames the runtime captured ("SIGSEGV:
# parse_a two_bugs.c:12 / main ..."), OUT/default/bugs has one line per
# signature, fuzzer_stats says unique_bugs 2, and `ferret triage OUT`
# lists both with their minimized reproducers (kept from one triage to
# the next). tests/targets/san_bugs.c: three bugs
# that ASan and UBSan report, each named by the sanitizer's error type.
. "$(dirname "$0")/lib.sh"

build two two_bugs.c
seeds in '@' 'C'
"$FERRET" fuzz -i in -o out -s 1 -E 4000 -- ./two 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
# many crash files (the bugs are reached by many paths), two bugs
files=$(ls out/default/crashes | grep -c '^id:')
[ "$files" -ge 4 ] || fail "only $files crash files: the target no longer reaches its bugs by many paths"
[ "$(wc -l <out/default/bugs)" -eq 2 ] || { cat out/default/bugs >&2; fail "bugs does not have 2 lines"; }
assert_grep '^SIGSEGV: parse_a two_bugs\.c:[0-9]+ / main two_bugs\.c:[0-9]+	[0-9]+	[0-9]+	[0-9]+	id:' out/default/bugs
assert_grep '^SIGABRT: check_b two_bugs\.c:[0-9]+ / main two_bugs\.c:[0-9]+	[0-9]+	[0-9]+	[0-9]+	id:' out/default/bugs
assert_grep '^ferret: crash \(signal 11 \(SIGSEGV\)\) saved: .*; new bug: SIGSEGV: parse_a two_bugs\.c:' fuzz.log
assert_grep '^unique_bugs       : 2$' out/default/fuzzer_stats
"$FERRET" triage --no-minimize out >triage.out || fail "ferret triage --no-minimize failed"
[ "$(wc -l <triage.out)" -eq 2 ] || { cat triage.out >&2; fail "ferret triage did not print 2 lines"; }
assert_grep '^[0-9]+  SIGSEGV: parse_a two_bugs\.c:[0-9]+ .*  out/default/crashes/id:' triage.out
assert_grep '^[0-9]+  SIGABRT: check_b two_bugs\.c:[0-9]+ .*  out/default/crashes/id:' triage.out
for f in $(sed 's/.*  //' triage.out); do [ -f "$f" ] || fail "reproducer '$f' missing"; done
[ ! -e out/default/minimized ] || fail "--no-minimize made out/default/minimized"

# minimized reproducers: the program from OUT/NAME/cmdline, each bug's
# smallest reproducer shrunk keeping its signature; a second triage reuses
# them (the same lines, no run: the program is gone)
"$FERRET" triage out >triage.min || fail "ferret triage failed"
[ "$(wc -l <triage.min)" -eq 2 ] || { cat triage.min >&2; fail "ferret triage did not print 2 lines"; }
assert_grep '^[0-9]+  SIGSEGV: parse_a two_bugs\.c:[0-9]+ .*  out/default/minimized/id:' triage.min
assert_grep '^[0-9]+  SIGABRT: check_b two_bugs\.c:[0-9]+ .*  out/default/minimized/id:' triage.min
for f in $(sed 's/.*  //' triage.min); do
	[ -f "$f" ] || fail "minimized reproducer '$f' missing"
	[ "$(wc -c <"$f")" -le "$(wc -c <"out/default/crashes/${f##*/}")" ] || fail "'$f' grew"
	"$FERRET" run "$f" -- ./two >run.out 2>&1 || true
	assert_grep ': crash: signal' run.out
done
mv two two.gone
"$FERRET" triage out >triage.again 2>&1 || fail "ferret triage (reusing) failed"
assert_eq "$(cat triage.min)" "$(cat triage.again)" "a second triage"
mv two.gone two

# Under ASan and UBSan (clang: their runtimes in the executable, gcc: ASan
# shared) the kind is the sanitizer's name for the error and the frames
# start in the target's code, not in the sanitizer's report and abort()
build san san_bugs.c -fsanitize=address,undefined -fno-sanitize-recover=all
seeds sin 'Gxxxxxxxx' 'T5' 'R'
"$FERRET" fuzz -i sin -o sout -s 1 -E 400 -- ./san 2>san.log ||
	{ tail -n 5 san.log >&2; fail "ferret fuzz of the ASan build exited non-zero"; }
[ "$(wc -l <sout/default/bugs)" -eq 3 ] || { cat sout/default/bugs >&2; fail "bugs does not have 3 lines"; }
assert_grep '^heap-buffer-overflow READ 1: heap_over san_bugs\.c:[0-9]+ / main san_bugs\.c:[0-9]+	' sout/default/bugs
assert_grep '^UBSan add-overflow: add_over san_bugs\.c:[0-9]+ / main san_bugs\.c:[0-9]+	' sout/default/bugs
assert_grep '^null-deref: null_store san_bugs\.c:[0-9]+ / main san_bugs\.c:[0-9]+	' sout/default/bugs
# the heap overflow shrinks to the 8 bytes that matter, an 'H' and seven
# '0's (afl-tmin's fill): a shorter cut is no overflow, another first byte
# another bug
"$FERRET" triage sout -- ./san >san.triage || fail "ferret triage of the ASan build failed"
f=$(sed -n 's/^[0-9]*  heap-buffer-overflow READ 1: .*  //p' san.triage)
assert_eq H0000000 "$(cat "$f")" "the minimized heap overflow"
FERRET_CC=gcc "$FCC" -O1 -g -fsanitize=address -o sang "$TARGETS/san_bugs.c"
"$FERRET" fuzz -i sin -o gout -s 1 -E 400 -- ./sang 2>sang.log ||
	{ tail -n 5 sang.log >&2; fail "ferret fuzz of the gcc ASan build exited non-zero"; }
assert_grep '^heap-buffer-overflow READ 1: heap_over san_bugs\.c:[0-9]+ / main san_bugs\.c:[0-9]+	' gout/default/bugs
