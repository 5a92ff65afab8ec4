#!/bin/sh
# t6010: compare feedback on drawn values (src/core/vmutate.h, vs_cmp_hints).
# tests/targets/smith_vcmp.c: magic32 fails only when the u32 it drew first
# equals 0xDEADBEEF, compared after other values were drawn; magic16 only
# when, behind that same magic, a drawn u16 equals 0xBEEF. With -seed=1
# each is found within a bounded -runs (measured when written: magic32 at
# run 5, magic16 between 71 and 75, seeds 1-5 alike; the bounds are 4x and
# 3x that), and with compare feedback off (-use_cmp=0) neither is found
# within the same bound, nor within 100 times it: random values never
# pass a 32-bit compare, so the feature is what finds them.
. "$(dirname "$0")/lib.sh"

"$FCC" --fuzzer -O1 -g -o vcmp "$TARGETS/smith_vcmp.c"

for spec in magic32:20 magic16:250; do
	t=${spec%%:*}
	n=${spec#*:}
	rc=0
	./vcmp --fuzz "$t" -seed=1 -runs="$n" >"$t.on" 2>&1 || rc=$?
	assert_ne 0 "$rc" "--fuzz $t -runs=$n with compare feedback (not found)"
	assert_grep "^ferret: assertion failed: smith_vcmp\.c:[0-9]+: (x != 0xdeadbeefu|y != 0xbeef)\$" "$t.on"
	[ "$(ls "testdata/$t" | grep -c '^crash-' || true)" -ge 1 ] || fail "no crash file for $t"
	for runs in "$n" $((n * 100)); do
		rm -rf "testdata/$t"
		rc=0
		./vcmp --fuzz "$t" -seed=1 -runs="$runs" -use_cmp=0 >"$t.off" 2>&1 || rc=$?
		assert_eq 0 "$rc" "--fuzz $t -runs=$runs -use_cmp=0 (found without compare feedback)"
		assert_grep "^Done $runs runs" "$t.off"
		assert_no_grep 'assertion failed' "$t.off"
	done
done
