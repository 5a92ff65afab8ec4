#!/bin/sh
# t2001: -x dictionaries. The target (tests/targets/dict_keyword.c) crashes
# when "FERRET-TOKEN" appears anywhere in its input, checked through a hash,
# so compare feedback cannot produce it:
#   - with -x FILE holding the token, the crash is found within 5000
#     executions; with the same seed and budget and no -x, it is not;
#   - -x DIR (one raw token per file) finds it too;
#   - a file with malformed lines gives one warning per bad line naming the
#     file, the line number and the reason, loads its good lines and fuzzes
#     (the crash is still found);
#   - a dictionary past the 4096-token limit says how many it dropped;
#   - --dict-strict accepts a well-formed file; with the malformed one it
#     exits non-zero with one error line naming the file, the first bad
#     line and its reason, and creates nothing;
#   - a missing dictionary file gives one error line and a non-zero exit.
# Measured when written: found after 25..52 executions with -x (seeds 1..8),
# so the budget is ~100x the slowest find.
. "$(dirname "$0")/lib.sh"

budget=5000
build kw dict_keyword.c
seeds in "hello world, a plain seed line"

# first_crash OUT: path of the first saved crash, or empty
first_crash() {
	for f in "$1"/default/crashes/id:*; do
		[ ! -e "$f" ] || echo "$f"
		break
	done
}

# fuzz OUT ARGS...: a bounded run that must succeed, stderr in OUT.log
fuzz() {
	out=$1
	shift
	"$FERRET" fuzz -i in -o "$out" -s 1 -E $budget "$@" -- ./kw 2>"$out.log" ||
		{ tail -n 5 "$out.log" >&2; fail "$out: ferret fuzz $* exited non-zero"; }
}

# without a dictionary (compare feedback on): not found
fuzz out-none
assert_eq $budget "$(stat_value out-none/default execs_done)" "no -x: executions"
assert_eq 0 "$(count_files out-none/default/crashes)" "no -x: crashes"

# -x FILE
printf '# the keyword\nkw="FERRET-TOKEN"\nother="\\x00\\xffGIF89a"\n' >good.dict
fuzz out-file -C -x good.dict
crash=$(first_crash out-file)
[ -n "$crash" ] || fail "-x good.dict: no crash within $budget executions"
grep -q FERRET-TOKEN "$crash" || fail "-x good.dict: crash $crash lacks the keyword"
assert_no_grep 'warning' out-file.log

# --dict-strict accepts a well-formed file
fuzz out-strict -C --dict-strict -x good.dict
[ -n "$(first_crash out-strict)" ] || fail "--dict-strict -x good.dict: no crash within $budget executions"

# -x DIR: one raw token per file, no quoting or escapes
mkdir tokens
printf 'FERRET-TOKEN' >tokens/keyword
printf '\000\377"x' >tokens/binary
fuzz out-dir -C -x tokens
crash=$(first_crash out-dir)
[ -n "$crash" ] || fail "-x tokens/: no crash within $budget executions"
grep -q FERRET-TOKEN "$crash" || fail "-x tokens/: crash $crash lacks the keyword"

# malformed lines: one warning each (file, line, reason), the rest is used
{
	printf '# comment, then a good token\n'
	printf 'kw="FERRET-TOKEN"\n'
	printf 'bare = FERRET\n'
	printf 'open="FERRET\n'
	printf '\n'
	printf 'esc="\\q"\n'
	printf 'hex="\\x41\\x42"\n'
	printf 'tail="x" # no trailing comments\n'
} >bad.dict
fuzz out-bad -C -x bad.dict
grep 'warning' out-bad.log >warnings.txt || true
assert_eq 4 "$(wc -l <warnings.txt | tr -d ' ')" "warnings for bad.dict (one per bad line)"
assert_grep "^ferret: warning: dictionary 'bad\.dict' line 3: expected a quoted value; skipped$" warnings.txt
assert_grep "^ferret: warning: dictionary 'bad\.dict' line 4: unterminated value; skipped$" warnings.txt
assert_grep "^ferret: warning: dictionary 'bad\.dict' line 6: bad escape; skipped$" warnings.txt
assert_grep "^ferret: warning: dictionary 'bad\.dict' line 8: text after the closing quote; skipped$" warnings.txt
crash=$(first_crash out-bad)
[ -n "$crash" ] || fail "-x bad.dict: the good line's token did not find the crash in $budget executions"

# a dictionary past the token limit (4096) says how many it dropped
awk 'BEGIN { for (i = 0; i < 4100; i++) printf "t%d=\"tok%05d\"\n", i, i }' >big.dict
fuzz out-big -x big.dict
assert_grep "^ferret: warning: dictionary 'big\.dict': 4 tokens dropped, past the limit of 4096$" out-big.log

# expect_error WHAT PATTERN ARGS...: fails with exactly one stderr line
# matching PATTERN, nothing on stdout, and no output directory
expect_error() {
	what=$1 pattern=$2
	shift 2
	rc=0
	"$FERRET" fuzz -i in -o out-err -s 1 -E $budget "$@" -- ./kw >err.out 2>err.txt </dev/null || rc=$?
	assert_ne 0 "$rc" "$what: exit status"
	[ ! -s err.out ] || fail "$what: stdout not empty: $(head -n 3 err.out)"
	assert_eq 1 "$(wc -l <err.txt | tr -d ' ')" "$what: lines on stderr ($(cat err.txt))"
	assert_grep "$pattern" err.txt
	[ ! -e out-err ] || fail "$what: output directory created"
}

expect_error "--dict-strict" \
	"^ferret: .*dictionary 'bad\.dict' line 3: expected a quoted value$" --dict-strict -x bad.dict
expect_error "missing dictionary" \
	"^ferret: .*dictionary 'no-such\.dict'.*No such file or directory" -x no-such.dict
