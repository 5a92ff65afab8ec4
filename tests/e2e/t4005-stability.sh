#!/bin/sh
# t4005: stability that names what is unstable (issue 12). A deterministic
# target (tests/targets/stability.c) reports stability 100.00% and
# corpus_variable 0 both in fork-server and in persistent mode (clang, and
# gcc persistent): the first input of a persistent child no longer shows
# another trace than later ones. The same target with a clock-driven
# coin_toss() reports less than 100% in both modes, and its
# OUT/default/unstable_edges names coin_toss (and only edges of
# coin_toss, heads and tails) with file:line. `ferret showmap -S` names
# the target's functions and file:line.
. "$(dirname "$0")/lib.sh"

# five builds at once (each waited for and checked)
build det-fork stability.c &
p1=$!
build det-loop stability.c -DSTABILITY_LOOP &
p2=$!
FERRET_CC=gcc build det-loop-gcc stability.c -DSTABILITY_LOOP &
p3=$!
build flaky-fork stability.c -DSTABILITY_FLAKY &
p4=$!
build flaky-loop stability.c -DSTABILITY_FLAKY -DSTABILITY_LOOP &
p5=$!
for p in $p1 $p2 $p3 $p4 $p5; do wait $p || fail "a build of stability.c failed"; done
seeds in w wo wor x

# fuzz NAME EXECS: fuzzes ./NAME from ./in into out-NAME, seed 1
fuzz() {
	"$FERRET" fuzz --no-ui -s 1 -E "$2" -i in -o "out-$1" -- "./$1" 2>"$1.log" ||
		{ tail -n 5 "$1.log" >&2; fail "$1: ferret fuzz exited non-zero"; }
}

for t in det-fork:300:fork det-loop:3000:persistent det-loop-gcc:3000:persistent; do
	name=${t%%:*} rest=${t#*:}
	fuzz "$name" "${rest%%:*}"
	d=out-$name/default
	assert_eq "${rest#*:}" "$(stat_value $d target_mode | cut -d' ' -f1)" "$name: mode"
	assert_eq "100.00%" "$(stat_value $d stability)" "$name: stability"
	assert_eq 0 "$(stat_value $d corpus_variable)" "$name: corpus_variable"
	assert_eq 0 "$(stat_value $d var_byte_count)" "$name: var_byte_count"
	[ -f $d/unstable_edges ] && [ ! -s $d/unstable_edges ] ||
		fail "$name: unstable_edges missing or not empty"
done

for name in flaky-fork flaky-loop; do
	fuzz $name 300
	d=out-$name/default
	stab=$(stat_value $d stability)
	[ "$stab" != "100.00%" ] || fail "$name: stability $stab for a nondeterministic target"
	[ "$(stat_value $d corpus_variable)" -gt 0 ] || fail "$name: corpus_variable 0"
	assert_grep '^[0-9]{6}	coin_toss	stability\.c:[0-9]+$' $d/unstable_edges
	assert_no_grep '	(main|parse_word|one)	' $d/unstable_edges
	assert_eq "$(stat_value $d var_byte_count)" "$(wc -l <$d/unstable_edges)" "$name: lines"
	assert_grep 'edges vary between runs of the same input: see .*unstable_edges' $name.log
done

printf wor >wor
"$FERRET" showmap -S wor -- ./det-loop >map.txt 2>/dev/null || fail "showmap -S failed"
assert_grep '^[0-9]{6}:[0-9]+	parse_word	stability\.c:[0-9]+$' map.txt
assert_grep '^[0-9]{6}:[0-9]+	main	stability\.c:[0-9]+$' map.txt
"$FERRET" showmap --symbolize wor -- ./det-fork >map2.txt 2>/dev/null || fail "showmap --symbolize failed"
assert_grep '^[0-9]{6}:[0-9]+	parse_word	stability\.c:[0-9]+$' map2.txt
# gcc's hashed edges have no one address: named "?"
"$FERRET" showmap -S wor -- ./det-loop-gcc >map3.txt 2>/dev/null || fail "showmap -S (gcc) failed"
assert_grep '^[0-9]{6}:[0-9]+	\?	\?$' map3.txt
# without -S, the plain afl-showmap lines
"$FERRET" showmap wor -- ./det-loop >plain.txt 2>/dev/null
assert_no_grep '	' plain.txt
