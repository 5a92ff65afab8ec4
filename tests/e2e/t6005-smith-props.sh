#!/bin/sh
# t6005: the Smith's promises, asserted from inside FERRET_TESTs
# (tests/targets/smith_props.c). values_in_range asserts that
# ferret_weighted {10..20 w1, 100 w5}, ferret_range 3..9, ferret_range_i64
# -5..5, ferret_pick 3 and ferret_slice 16 stay in bounds, and that its
# `while (!ferret_eos(s))` loop ends within 4096 iterations; fuzzing it (and
# the eos_ends loop) for 20000 runs with -seed=1 never fails (exit 0, no
# crash- file). Plain ./props replays the empty stream and the saved
# corpora. A hand-made stream whose values are all out of range (uids
# computed as the runtime does, checked against a logged stream) passes,
# so out-of-range values are replaced; one with 8192 false answers for the
# "eos-loop" label passes eos_ends (the loop stops at 4096) and fails
# eos_loop_short (the loop did run to the cap, so the stream was used).
. "$(dirname "$0")/lib.sh"

"$FCC" --fuzzer -O1 -g -o props "$TARGETS/smith_props.c"
./props --list >list.out
assert_eq "values_in_range eos_ends eos_cap eos_loop_short" "$(tr '\n' ' ' <list.out | sed 's/ $//')" "--list"

# the empty stream, for every test
rc=0
./props --budget 0 >plain.out 2>&1 || rc=$?
assert_eq 0 "$rc" "plain ./props (the empty stream and 100 generated examples)"
assert_grep '^tests: 4 passed, 0 failed' plain.out
assert_eq 4 "$(grep -Ec '^ok +[a-z_]+ \(0 saved inputs, 100 examples\)$' plain.out)" "tests passing 100 examples"

for t in values_in_range eos_ends; do
	rc=0
	./props --fuzz "$t" -runs=20000 -seed=1 >"$t.out" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || { grep -m3 'assertion failed' "$t.out" >&2; fail "--fuzz $t exited $rc"; }
	assert_grep '^Done 20000 runs' "$t.out"
	assert_no_grep 'assertion failed' "$t.out"
	assert_eq 0 "$(ls "testdata/$t" | grep -c '^crash-' || true)" "crash files of $t"
	[ "$(ls "testdata/$t" | wc -l)" -ge 1 ] || fail "--fuzz $t saved nothing"
done
rc=0
./props >plain2.out 2>&1 || rc=$?
assert_eq 0 "$rc" "plain ./props on the saved corpora"
assert_grep '^ok +values_in_range \([1-9][0-9]* saved inputs, (100|[0-9]+ of 100) examples' plain2.out

# le N BYTES: N as BYTES little-endian bytes
le() {
	_v=$1 _k=0
	while [ "$_k" -lt "$2" ]; do
		# shellcheck disable=SC2059 # the format is the octal escape
		printf "\\$(printf %03o $((_v & 255)))"
		_v=$((_v >> 8)) _k=$((_k + 1))
	done
}
# fnv1a TEXT: the uid of a call site "file.c:LINE" or a label (ferret__uid)
fnv1a() {
	_h=2166136261 _s=$1
	while [ -n "$_s" ]; do
		_rest=${_s#?}
		_c=${_s%"$_rest"}
		_h=$((((_h ^ $(printf %d "'$_c")) * 16777619) & 0xffffffff))
		_s=$_rest
	done
	echo "$_h"
}
# site PATTERN: the uid of the line of smith_props.c holding PATTERN
site() {
	line=$(grep -nF -- "$1" "$TARGETS/smith_props.c" | cut -d: -f1)
	[ "$(echo "$line" | wc -l)" -eq 1 ] && [ -n "$line" ] || fail "no single line with '$1'"
	fnv1a "smith_props.c:$line"
}
int() { le "$1" 4; printf '\001'; le "$2" 8; }

eos=$(site 'while (!ferret_eos(s))')
# a logged stream starts with the NAME record of the first call site: eos
f=$(ls testdata/values_in_range/* | head -n 1)
assert_eq "$eos" "$(od -An -tu4 -j12 -N4 "$f" | tr -d ' ')" "uid of the eos call site in $f"
w=$(site 'ferret_weighted(s, weights, 2)')
r=$(site 'ferret_range(s, 3, 9)')
i64=$(site 'ferret_range_i64(s, -5, 5)')
p=$(site 'ferret_pick(s, 3)')
sl=$(site 'ferret_slice(s, buf, sizeof(buf))')
for seed in 0 7; do
	{
		printf 'FVS\001'
		le $seed 8
		# three steps of values just outside their bounds, then eos true
		for vals in "50 100 4660 7 " "21 2 6 3" "99 10 -6 -1"; do
			set -- $vals
			int "$eos" 0
			int "$w" "$1"
			int "$r" "$2"
			int "$i64" $(($3 ^ (1 << 63)))
			int "$p" "$4"
			le "$sl" 4
			printf '\002'
			le 40 4
			printf 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'
		done
		int "$eos" 1
	} >outside$seed
	"$FERRET" show outside$seed >/dev/null || fail "outside$seed is not a whole stream"
	rc=0
	./props --run values_in_range outside$seed >outside$seed.out 2>&1 || rc=$?
	assert_eq 0 "$rc" "values_in_range on out-of-range values (seed $seed): $(cat outside$seed.out)"
done

# eos: 8192 false answers for the eos-loop label
loop=$(fnv1a eos-loop)
int "$loop" 0 >rec
i=0
while [ $i -lt 13 ]; do
	cat rec rec >rec2
	mv rec2 rec
	i=$((i + 1))
done
assert_eq $((8192 * 13)) "$(wc -c <rec | tr -d ' ')" "size of 8192 records"
{ printf 'FVS\001'; le 0 8; cat rec; } >eosfalse
rc=0
./props --run eos_ends eosfalse >eos.out 2>&1 || rc=$?
assert_eq 0 "$rc" "eos_ends on 8192 false answers: $(cat eos.out)"
rc=0
./props --run eos_loop_short eosfalse >short.out 2>&1 || rc=$?
assert_ne 0 "$rc" "eos_loop_short on 8192 false answers (the loop must reach the cap)"
assert_grep '^ferret: assertion failed: smith_props\.c:[0-9]+: iters < 4096$' short.out
