#!/bin/sh
# t6003: the byte bridge and labelled call sites.
# Bridge: tests/targets/smith_bridge.c (FERRET_BYTE_BRIDGE) is built with
# real libFuzzer (clang -fsanitize=fuzzer and libferret-smith.a); a
# hand-made byte input (u32 0xf00dface, 7, eos false, "ok!") reproduces the
# planted bug, a near miss does not, the empty input passes, and libFuzzer
# with -seed=1 finds the bug in a bounded run (measured when written: seeds
# 1 to 8 all find it within 2.1M runs) and its crash file replays.
# Labels: tests/targets/smith_labels.c calls ferret_u32_l from one helper
# with the labels "width" and "height"; each label must be its own uid,
# named by its label in `ferret show`, and a hand-made stream giving width 3
# and height 4 (uids computed as the runtime does: FNV-1a of the label,
# checked against a logged stream) must reach the assertion on 3x4.
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

# --- the byte bridge under real libFuzzer
command -v clang >/dev/null || fail "clang is needed for -fsanitize=fuzzer"
clang -g -O1 -fsanitize=fuzzer -I"$TOP/include" -o bridge "$TARGETS/smith_bridge.c" \
	"$FERRET_BUILD/lib/libferret-smith.a"

{ le 0xf00dface 8; le 7 8; printf '\000ok!'; } >bug.in
{ le 0xf00dface 8; le 7 8; printf '\000ok?'; } >near.in
: >empty.in
rc=0
./bridge bug.in >bug.out 2>&1 || rc=$?
assert_ne 0 "$rc" "the bridge on the hand-made bug input"
assert_grep "^ferret: assertion failed: smith_bridge\.c:[0-9]+: memcmp\(b, \"ok!\", 3\) != 0\$" bug.out
for f in near.in empty.in; do
	./bridge "$f" >near.out 2>&1 || { tail -n 5 near.out >&2; fail "the bridge fails on $f"; }
done

mkdir lf && cd lf
rc=0
../bridge -seed=1 -runs=3000000 >fuzz.out 2>&1 || rc=$?
assert_ne 0 "$rc" "libFuzzer on the bridge (the bug must be found)"
assert_grep 'assertion failed: smith_bridge\.c:' fuzz.out
crash=$(ls | grep '^crash-' | head -n 1)
[ -n "$crash" ] || fail "libFuzzer saved no crash file: $(ls)"
rc=0
../bridge "$crash" >replay.out 2>&1 || rc=$?
assert_ne 0 "$rc" "replaying $crash"
assert_grep 'assertion failed: smith_bridge\.c:' replay.out
cd ..

# --- labels
"$FCC" --fuzzer -O0 -g -o labels "$TARGETS/smith_labels.c"
./labels --fuzz labels -runs=300 -seed=1 >fuzz.out 2>&1 || { tail -n 5 fuzz.out >&2; fail "--fuzz labels"; }
n=0
for f in testdata/labels/*; do
	"$FERRET" show "$f" >show.out || fail "ferret show $f"
	assert_eq 2 "$(sed 1d show.out | wc -l | tr -d ' ')" "values in $f"
	assert_grep '^ +1  width +[0-9]' show.out
	assert_grep '^ +2  height +[0-9]' show.out
	n=$((n + 1))
done
[ "$n" -ge 1 ] || fail "no stream saved for labels"

# fnv1a LABEL: the uid of a label (runtime/smith.c ferret__uid)
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
w=$(fnv1a width) h=$(fnv1a height)
assert_ne "$w" "$h" "uids of width and height"
# the first record of a logged stream names the first uid asked for: width
f=$(ls testdata/labels/* | head -n 1)
assert_eq "$w" "$(od -An -tu4 -j12 -N4 "$f" | tr -d ' ')" "uid of 'width' in $f"
assert_eq 4 "$(od -An -tu1 -j16 -N1 "$f" | tr -d ' ')" "kind of the first record of $f (NAME)"

{ printf 'FVS\001'; le 0 8; le "$w" 4; printf '\001'; le 3 8; le "$h" 4; printf '\001'; le 4 8; } >3x4
rc=0
./labels --run labels_3x4 3x4 >3x4.out 2>&1 || rc=$?
assert_ne 0 "$rc" "labels_3x4 on a stream with width 3 and height 4"
assert_grep '^ferret: assertion failed: smith_labels\.c:[0-9]+: !\(w == 3 && h == 4\)$' 3x4.out
