#!/bin/sh
# t4002: `ferret cmin` keeps afl-cmin's set (rarest tuple first, the
# smallest file that has it). tests/targets/cmin_branches.c and an input
# directory with a duplicate, bigger copies, files covered by one bigger
# file, a file that adds a hit-count bucket only and a crashing file: OUT
# holds exactly the expected files; the tuples
# (`ferret showmap` lines) of OUT's files are those of IN's clean files;
# -T 1, -T 2 and -T all keep the same set; -e drops the bucket-only file;
# stdin and @@; a libFuzzer harness (-fsanitize=fuzzer, "@@" added); a
# hang skipped; bad command lines are one error line and a non-zero exit;
# no temporary directory left.
. "$(dirname "$0")/lib.sh"

# temporary directories of ferret cmin (only this test runs it)
cmin_tmps() { ls -d /tmp/ferret-cmin-* 2>/dev/null | wc -l; }
tmps_before=$(cmin_tmps)

build prog cmin_branches.c
build harness cmin_branches.c -fsanitize=fuzzer -DCMIN_LIBFUZZER

mkdir in
printf 'xxx2' >in/1-base
printf 'xxx2' >in/2-dup            # same as 1-base: the first name wins (-e)
printf 'axx2' >in/3-a              # covered by 4-abc
printf 'abc2' >in/4-abc            # the only one with 'b' and 'c' in 4 bytes
{ printf 'axx2'; head -c 100 /dev/zero; } >in/0-big-a # same as 3-a, bigger
{ printf 'abc2'; head -c 50 /dev/zero; } >in/6-abc-big # same as 4-abc, bigger
printf 'xxx4' >in/7-loop           # 1-base's edges, other buckets (rarest)
printf '!xx2' >in/8-crash          # skipped
printf 'abc4' >in/9-union          # covered by 4-abc and 7-loop
expected='4-abc 7-loop'

# cmin OUT WHAT ARGS...: runs ferret cmin -i in -o OUT ARGS, asserts exit 0,
# the final line and the skip line
cmin() {
	out=$1 what=$2
	shift 2
	"$FERRET" cmin -i in -o "$out" "$@" >"$out.log" 2>"$out.err" ||
		{ cat "$out.err" >&2; fail "$what: ferret cmin exited non-zero"; }
	assert_eq "ferret: cmin skipped 1 crashing, 0 hanging and 0 too large input" \
		"$(cat "$out.err")" "$what: stderr"
}
# tuples PROG FILE...: the union of the showmap lines of each file
tuples() {
	prog=$1
	shift
	for f in "$@"; do
		"$FERRET" showmap -o map.txt -- "$prog" @@ "$f" 2>/dev/null
		cat map.txt
	done | sort -u
}

cmin out1 "-T 1" -T 1 -- ./prog
assert_eq "cmin: 9 files -> 2 files, 12 tuples" "$(cat out1.log)" "-T 1: summary"
assert_eq "$expected" "$(ls out1 | tr '\n' ' ' | sed 's/ $//')" "-T 1: files kept"
assert_eq "$(cat in/7-loop)" "$(cat out1/7-loop)" "-T 1: contents copied"
assert_eq "$(tuples ./prog in/[0-79]*)" "$(tuples ./prog out1/*)" "tuples of OUT and of IN"

cmin out2 "-T 2, @@" -T 2 -- ./prog @@
assert_eq "$(ls out1)" "$(ls out2)" "-T 1 and -T 2 with @@"
cmin out3 "-T all" -T all -- ./prog
assert_eq "$(ls out1)" "$(ls out3)" "-T 1 and -T all"

cmin out4 "-e" -e -- ./prog
assert_eq "cmin: 9 files -> 2 files, 11 tuples" "$(cat out4.log)" "-e: summary"
assert_eq "1-base 4-abc" "$(ls out4 | tr '\n' ' ' | sed 's/ $//')" "-e: files kept"

cmin out5 "libFuzzer harness" -T 2 -- ./harness
assert_eq "$expected" "$(ls out5 | tr '\n' ' ' | sed 's/ $//')" "harness: files kept"
assert_eq "$(tuples ./harness in/[0-79]*)" "$(tuples ./harness out5/*)" "harness: tuples of OUT and of IN"

# a hang is skipped and counted
mkdir hin
printf 'Hxx2' >hin/hang
printf 'axx2' >hin/ok
"$FERRET" cmin -i hin -o hout -t 200 -- ./prog >hout.log 2>hout.err ||
	fail "cmin with a hang exited non-zero"
assert_eq "ferret: cmin skipped 0 crashing, 1 hanging and 0 too large input" "$(cat hout.err)" "hang: stderr"
assert_eq "ok" "$(ls hout)" "hang: files kept"

# bad_usage WHAT ARGS...: one error line, exit status non-zero
bad_usage() {
	what=$1
	shift
	rc=0
	"$FERRET" cmin "$@" >bad.out 2>bad.err || rc=$?
	assert_ne 0 "$rc" "$what: exit status"
	assert_eq 1 "$(wc -l <bad.err)" "$what: stderr lines ($(cat bad.err))"
	assert_grep '^ferret: ' bad.err
}
mkdir empty full
printf x >full/f
bad_usage "missing input directory" -i nope -o o -- ./prog
bad_usage "empty input directory" -i empty -o o -- ./prog
bad_usage "no program" -i in -o o --
bad_usage "no -o" -i in -- ./prog
bad_usage "OUT not empty" -i in -o full -- ./prog
bad_usage "missing program" -i in -o o -- ./nope
bad_usage "not instrumented" -i in -o o -- /bin/true
[ ! -e o ] || fail "a failed cmin created its output directory"
assert_eq "$tmps_before" "$(cmin_tmps)" "temporary directories of ferret cmin left"
