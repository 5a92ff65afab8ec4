#!/bin/sh
# t5002: -merge=1 OUT IN of a libFuzzer-style harness keeps a smaller set of
# inputs with the same coverage: from 50 redundant inputs (many reaching
# the same paths) OUT gets fewer files, named by their sha1, and
# `-runs=0 OUT` reports the same INITED cov: as `-runs=0 IN`. Merge is
# crash-resistant: an input that crashes is skipped, the merge finishes
# and exits 0. Merging the same inputs again adds nothing.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -DLF_CRASH_WORD -o harness "$TARGETS/lf_paths.c"

mkdir -p in out
i=0
for s in a b c d e f g h i j 0 1 2 3 4 5 6 7 8 9 A B C D E F G H I J 'x=' 'y=' 'z=' \
	'a=long-input' 'b=long-input' '#' '$' '%' '&' ' ' q0123456789 r0123456789 \
	s0123456789 m n o k l; do
	i=$((i + 1))
	printf '%s' "$s" >in/input$i
done
printf 'a\303' >in/input-c3
printf 'CRASH-ME' >in/input-crash
assert_eq 50 "$(ls in | wc -l)" "inputs prepared"
./harness in/input-crash >/dev/null 2>&1 && fail "in/input-crash does not crash the harness"

rc=0
./harness -merge=1 out in >merge.out 2>merge.err || rc=$?
assert_eq 0 "$rc" "exit status of -merge=1 with a crashing input"
assert_grep 'in/input-crash' merge.err
n_out=$(ls out | wc -l)
[ "$n_out" -ge 1 ] && [ "$n_out" -lt 49 ] || fail "out/ has $n_out files (from 49 good inputs)"
for f in out/*; do
	assert_eq "$(basename "$f")" "$(sha1sum <"$f" | cut -d' ' -f1)" "merged file name vs sha1"
	[ "$(head -c 5 "$f")" != CRASH ] || fail "the crashing input was merged"
done

# same coverage: INITED cov: of the merged set equals that of the inputs
mkdir -p in-ok
cp in/* in-ok/
rm in-ok/input-crash
cov_of() { # DIR: the cov: of the INITED line of `-runs=0 DIR`
	./harness -runs=0 "$1" >/dev/null 2>runs0.err || fail "-runs=0 $1 exited non-zero"
	sed -n 's/^#[0-9]*	INITED cov: \([0-9]*\) .*/\1/p' runs0.err
}
cov_in=$(cov_of in-ok)
cov_out=$(cov_of out)
mkdir -p empty
cov_empty=$(cov_of empty)
[ -n "$cov_in" ] && [ -n "$cov_out" ] || fail "no INITED line"
[ "$cov_in" -gt "$cov_empty" ] || fail "-runs=0 did not run the inputs: cov $cov_in vs $cov_empty for an empty corpus"
assert_eq "$cov_in" "$cov_out" "INITED cov: of out/ vs in/"

# merging the same inputs again adds nothing
./harness -merge=1 out in >merge2.out 2>merge2.err || fail "second merge exited non-zero"
assert_eq "$n_out" "$(ls out | wc -l)" "files in out/ after merging the same inputs again"
