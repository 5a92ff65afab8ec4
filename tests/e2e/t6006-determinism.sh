#!/bin/sh
# t6006: fuzzing a FERRET_TEST is deterministic (issue 8): `./tests --fuzz
# NAME -seed=1 -runs=N`, run twice in fresh directories a/ and b/ (so each
# starts from no testdata/), compare feedback on (the default), leaves the
# same files in testdata/NAME: the sorted sha1 of their contents match
# (names are the sha1 too). Two tests: tests/targets/smith_cmp.c, whose
# branches open only by compare feedback on the value stream (32- and
# 64-bit magics, a switch, memcmp and strcmp of slices), and
# tests/targets/smith_branches.c, whose entries passive minimization keeps
# replacing. Each run must exit 0 after exactly N runs, with at least 12
# files kept and no crash.
# A third run, w/, with FERRET_WHOLE_MAP=1 (whole map instead of the
# counters each run touched, issue 15) must keep the same files.
# Measured when written: 50000 runs in ~0.1 s for each test; 22-26 files
# (smith_cmp) and 23-25 (smith_branches). At 46cccca the two runs differed
# in every attempt, with `setarch -R` too: the in-process loop's schedule
# took in the wall clock. At 361ca7f (one loop for every mode) they
# matched every time.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/determinism.sh"

"$FCC" --fuzzer -O1 -g -o cmp "$TARGETS/smith_cmp.c"
"$FCC" --fuzzer -O1 -g -o branches "$TARGETS/smith_branches.c"
runs=50000
problems=

# twice PROGRAM TEST: fuzzes TEST twice, in PROGRAM-a/ and PROGRAM-b/, and
# compares testdata/TEST
twice() {
	for r in a b w; do
		mkdir "$1-$r"
		rc=0
		wm=
		[ "$r" != w ] || wm=FERRET_WHOLE_MAP=1
		(cd "$1-$r" && env $wm "../$1" --fuzz "$2" -seed=1 -runs=$runs >fuzz.out 2>&1) || rc=$?
		[ "$rc" -eq 0 ] || { tail -n 5 "$1-$r/fuzz.out" >&2; fail "$2, run $r: exit status $rc"; }
		grep -q "^Done $runs runs" "$1-$r/fuzz.out" ||
			problems="$problems $2, run $r: '$(grep '^Done' "$1-$r/fuzz.out")';"
		assert_eq 0 "$(find "$1-$r/testdata/$2" -name 'crash-*' | wc -l | tr -d ' ')" "$2, run $r: crash files"
	done
	det_same "testdata/$2" "$1-a/testdata/$2" "$1-b/testdata/$2" '*' 12 ||
		problems="$problems $2;"
	det_same "testdata/$2, whole map" "$1-a/testdata/$2" "$1-w/testdata/$2" '*' 12 ||
		problems="$problems $2 (FERRET_WHOLE_MAP);"
}

twice cmp cmp_steps
twice branches branches

[ -z "$problems" ] || fail "not the same testdata twice, or too little:$problems"
