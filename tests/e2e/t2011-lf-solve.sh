#!/bin/sh
# t2011: inputs libFuzzer solves in seconds and ferret's libFuzzer mode did
# not in minutes (issue 14), tests/targets/lf_solve.c built with
# `ferret-cc -O1 -fsanitize=fuzzer`, each from an empty corpus with a fixed
# seed (a seed repeats its run exactly) and bounded runs:
#   div      trace-div's divisor has value profile (its distance to 0):
#            found in 7,089 runs with -seed=1, budget 30,000
#   gep      trace-gep's indices have value profile: about 35,000 runs
#            with -seed=11, budget 500,000 (0.4 s). Seeds 1-12 take 6 k to
#            more than 500 k, and which takes how many moves with the code
#            layout: compare sites are hashed from their offset in the
#            executable, which three more libc imports of the driver (a
#            larger PLT before the harness) shifted by 48 bytes, and seed
#            7 went from 6 k to 300 k runs; seed 11 took 32 k and 37 k
#   recurse  200 levels of recursion, past hit counts' last bucket: the
#            stack depth (ferret-cc adds stack-depth, as clang does for
#            -fsanitize=fuzzer) is a feature: 624,887 runs with -seed=4,
#            budget 2,500,000
#   counter  four bytes matched through a hit counter (d[i] == 'A' + num):
#            ferret-cc builds harnesses with clang's own
#            -fsanitize=fuzzer-no-link code generation, whose coverage
#            points tell the loop's steps apart (8 where plain coverage
#            flags give 5): between 3,000 and 4,000 runs with -seed=1,
#            budget 40,000 (it took 1.5 M before)
# Before, none of the first three was found in 60 s (bench/README.md, "libFuzzer solves in
# seconds").
# cost: 4
. "$(dirname "$0")/lib.sh"

# solve CASE SEED RUNS [cc flags...] -- [fuzzer flags...]: must crash
solve() {
	c=$1 seed=$2 runs=$3
	shift 3
	cflags=
	while [ "$1" != -- ]; do
		cflags="$cflags $1"
		shift
	done
	shift
	up=$(echo "$c" | tr a-z A-Z)
	# shellcheck disable=SC2086
	"$FCC" -O1 -g -fsanitize=fuzzer $cflags "-DSOLVE_$up" -o "$c" "$TARGETS/lf_solve.c"
	mkdir -p "c-$c" "a-$c"
	rc=0
	"./$c" -seed="$seed" -runs="$runs" "$@" -artifact_prefix="a-$c/" "c-$c" >"$c.out" 2>"$c.err" || rc=$?
	[ "$rc" -ne 0 ] || fail "$c: no crash in $runs runs ($(grep -c NEW "$c.err") NEW lines)"
	ls "a-$c" | grep -q '^crash-' || fail "$c: exit $rc but no crash artifact"
}

solve div 1 30000 -fsanitize-coverage=trace-div -- -use_value_profile=1
solve gep 11 500000 -fsanitize-coverage=trace-gep -- -use_value_profile=1
solve counter 1 40000 --
solve recurse 4 2500000 --
# the crash input holds the 200 bytes of the pattern
f=$(ls a-recurse | grep '^crash-' | head -n 1)
head -c 200 "a-recurse/$f" >got
awk 'BEGIN { for (i = 0; i < 200; i++) printf "%c", 65 + i % 10 }' >want
cmp -s got want || fail "recurse: the crash input does not start with the pattern"
