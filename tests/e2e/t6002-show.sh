#!/bin/sh
# t6002: `ferret show FILE` renders value streams. A hand-made stream
# (printf) with a NAME record, small and large INT values, a BYTES value
# needing escapes, a FRESH placeholder and an unnamed uid is rendered
# exactly; streams saved by a fuzz run render with one line per value and
# exit 0. A truncated copy prints the values before the cut, then exactly
# one error line, and exits non-zero; so does a stream with an unknown
# record kind. An empty file is the empty stream (0 values, exit 0). A
# missing file gives one error line and a non-zero exit.
. "$(dirname "$0")/lib.sh"

# le N BYTES: N as BYTES little-endian bytes
le() {
	_v=$1 _k=0
	while [ "$_k" -lt "$2" ]; do
		# shellcheck disable=SC2059 # the format is the octal escape
		printf "\\$(printf %03o $((_v & 255)))"
		_v=$((_v >> 8)) _k=$((_k + 1))
	done
}
header() { printf 'FVS\001'; le "$1" 8; }
rec_int() { le "$1" 4; printf '\001'; le "$2" 8; }
rec_bytes() { le "$1" 4; printf '\002'; le "$2" 4; printf "$3"; }
rec_fresh() { le "$1" 4; printf '\003'; }
rec_name() { le "$1" 4; printf '\004'; le "${#2}" 4; printf '%s' "$2"; }

{
	header 0x1122334455667788
	rec_name 7 my.c:7
	rec_int 7 42
	rec_int 7 70000
	rec_bytes 9 4 'a"\001\\'
	rec_name 9 label
	rec_fresh 7
	rec_int 10 5
} >hand
assert_eq $((12 + 15 + 13 + 13 + 13 + 14 + 5 + 13)) "$(wc -c <hand | tr -d ' ')" "size of the hand-made stream"

{
	echo '# hand: value stream v1, seed 1122334455667788, 5 values'
	printf '%5d  %-24s %s\n' 1 my.c:7 42
	printf '%5d  %-24s %s\n' 2 my.c:7 '70000 (0x11170)'
	printf '%5d  %-24s %s\n' 3 label 'bytes[4] "a\"\x01\\"'
	printf '%5d  %-24s %s\n' 4 my.c:7 '(fresh)'
	printf '%5d  %-24s %s\n' 5 uid:0000000a 5
} >hand.expected
rc=0
"$FERRET" show hand >hand.out 2>hand.err || rc=$?
assert_eq 0 "$rc" "exit status of ferret show hand"
assert_eq "" "$(cat hand.err)" "stderr of ferret show hand"
diff hand.expected hand.out >&2 || fail "ferret show hand: output differs from hand.expected"

# cut inside the last record: the 4 values before it, one error line
head -c $(($(wc -c <hand) - 4)) hand >hand-cut
rc=0
"$FERRET" show hand-cut >cut.out 2>cut.err || rc=$?
assert_ne 0 "$rc" "exit status of ferret show on a truncated stream"
assert_eq 1 "$(wc -l <cut.err | tr -d ' ')" "error lines for a truncated stream"
assert_grep "^ferret: 'hand-cut' is not a whole value stream" cut.err
assert_eq '# hand-cut: value stream v1, seed 1122334455667788, 4 values' "$(head -n 1 cut.out)"
sed 1d hand.expected | head -n 4 >cut.expected
sed 1d cut.out >cut.values
diff cut.expected cut.values >&2 || fail "ferret show hand-cut: values differ from the whole stream's"

# an unknown record kind after the first two values
{
	header 1
	rec_int 7 1
	rec_int 7 2
	le 7 4
	printf '\011'
	le 3 8
} >badkind
rc=0
"$FERRET" show badkind >bad.out 2>bad.err || rc=$?
assert_ne 0 "$rc" "exit status of ferret show on an unknown kind"
assert_eq 1 "$(wc -l <bad.err | tr -d ' ')" "error lines for an unknown kind"
assert_eq 3 "$(wc -l <bad.out | tr -d ' ')" "lines printed before the unknown kind"

# streams saved by a fuzz run
"$FCC" --fuzzer -O1 -g -o props "$TARGETS/smith_props.c"
./props --fuzz values_in_range -runs=3000 -seed=1 >fuzz.out 2>&1 || fail "--fuzz values_in_range"
n=0
for f in testdata/values_in_range/*; do
	rc=0
	"$FERRET" show "$f" >f.out 2>f.err || rc=$?
	assert_eq 0 "$rc" "ferret show $f"
	assert_eq "" "$(cat f.err)" "stderr of ferret show $f"
	values=$(sed -n '1s/.*, \([0-9]*\) values$/\1/p' f.out)
	assert_eq "$values" "$(grep -cE '^ +[0-9]+  smith_props\.c:[0-9]+ +' f.out)" "value lines of $f"
	if [ "$values" -gt "$n" ]; then n=$values big=$f; fi
done
[ "$n" -ge 6 ] || fail "largest saved stream has only $n values"
# a truncated copy of the largest: what is valid, then one error line
size=$(wc -c <"$big")
head -c $((size - 3)) "$big" >big-cut
rc=0
"$FERRET" show big-cut >bigcut.out 2>bigcut.err || rc=$?
assert_ne 0 "$rc" "exit status of ferret show on a truncated saved stream"
assert_eq 1 "$(wc -l <bigcut.err | tr -d ' ')" "error lines for a truncated saved stream"
assert_grep "^# big-cut: value stream v1, seed [0-9a-f]{16}, $((n - 1)) values\$" bigcut.out
"$FERRET" show "$big" | sed 1d | head -n $((n - 1)) >big.expected
sed 1d bigcut.out >bigcut.values
diff big.expected bigcut.values >&2 || fail "ferret show big-cut: values differ from the whole stream's"

# an empty file is the empty stream
: >empty
rc=0
"$FERRET" show empty >empty.out 2>empty.err || rc=$?
assert_eq 0 "$rc" "exit status of ferret show on an empty file"
assert_eq '# empty: value stream v1, seed 0000000000000000, 0 values' "$(cat empty.out)"
assert_eq "" "$(cat empty.err)" "stderr of ferret show on an empty file"

# a missing file: one error line
rc=0
"$FERRET" show missing >missing.out 2>missing.err || rc=$?
assert_ne 0 "$rc" "exit status of ferret show on a missing file"
assert_eq 1 "$(wc -l <missing.err | tr -d ' ')" "error lines for a missing file"
assert_grep "^ferret: cannot open 'missing'" missing.err
assert_eq "" "$(cat missing.out)" "stdout of ferret show on a missing file"
