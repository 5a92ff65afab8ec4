#!/bin/sh
# t4003: crash triage (issue 12). A target with two bugs in two functions
# (tests/targets/two_bugs.c: a NULL store in parse_a on 'A', abort() in
# check_b on 'B'), fuzzed from seeds one bit away from each: every crash
# gets a signature from the frames the runtime captured ("SIGSEGV:
# parse_a two_bugs.c:12 / main ..."), OUT/default/bugs has one line per
# signature, fuzzer_stats says unique_bugs 2, and `ferret triage OUT`
# lists both with their reproducers.
. "$(dirname "$0")/lib.sh"

build two two_bugs.c
seeds in '@' 'C'
"$FERRET" fuzz -i in -o out -s 1 -E 4000 -- ./two 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
[ "$(wc -l <out/default/bugs)" -eq 2 ] || { cat out/default/bugs >&2; fail "bugs does not have 2 lines"; }
assert_grep '^SIGSEGV: parse_a two_bugs\.c:[0-9]+ / main two_bugs\.c:[0-9]+	[0-9]+	[0-9]+	[0-9]+	id:' out/default/bugs
assert_grep '^SIGABRT: check_b two_bugs\.c:[0-9]+ / main two_bugs\.c:[0-9]+	[0-9]+	[0-9]+	[0-9]+	id:' out/default/bugs
assert_grep '^ferret: crash \(signal 11 \(SIGSEGV\)\) saved: .*; new bug: SIGSEGV: parse_a two_bugs\.c:' fuzz.log
assert_grep '^unique_bugs       : 2$' out/default/fuzzer_stats
"$FERRET" triage out >triage.out || fail "ferret triage failed"
[ "$(wc -l <triage.out)" -eq 2 ] || { cat triage.out >&2; fail "ferret triage did not print 2 lines"; }
assert_grep '^[0-9]+  SIGSEGV: parse_a two_bugs\.c:[0-9]+ .*  out/default/crashes/id:' triage.out
assert_grep '^[0-9]+  SIGABRT: check_b two_bugs\.c:[0-9]+ .*  out/default/crashes/id:' triage.out
for f in $(sed 's/.*  //' triage.out); do [ -f "$f" ] || fail "reproducer '$f' missing"; done
