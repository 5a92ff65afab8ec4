#!/bin/sh
# t3008: AFL++'s environment variables (issue 11; src/aflenv.def): each is
# honoured or named in one warning line. AFL_BENCH_UNTIL_CRASH stops at the
# first crash as -C does; AFL_DEBUG_CHILD lets the target write as -O does;
# an unsupported one (AFL_TMPDIR) and an unknown one (AFL_NOT_A_VARIABLE)
# get a warning each, once; AFL_IGNORE_UNKNOWN_ENVS silences the second
# kind only; a supported one (AFL_SKIP_CPUFREQ) says nothing. AFL++'s
# afl-whatsup reads the output. Every row of aflenv.def is in docs/afl.md's
# table.
. "$(dirname "$0")/lib.sh"

build prog crash_first_a.c
seeds in b
rc=0
AFL_BENCH_UNTIL_CRASH=1 AFL_SKIP_CPUFREQ=1 AFL_TMPDIR=/tmp AFL_NOT_A_VARIABLE=1 \
	"$FERRET" fuzz -i in -o out -s 1 -E 200000 -- ./prog >run.out 2>run.err || rc=$?
assert_eq 0 "$rc" "exit status"
assert_eq 1 "$(count_files out/default/crashes)" "crashes when stopping at the first"
execs=$(stat_value out/default execs_done)
[ "$execs" -lt 200000 ] || fail "AFL_BENCH_UNTIL_CRASH did not stop the run ($execs executions)"
assert_eq 1 "$(grep -c 'AFL_TMPDIR is not supported' run.err)" "warnings for AFL_TMPDIR"
assert_eq 1 "$(grep -c 'AFL_NOT_A_VARIABLE is not an AFL++ variable' run.err)" "warnings for an unknown variable"
assert_no_grep 'AFL_SKIP_CPUFREQ|AFL_BENCH_UNTIL_CRASH' run.err
# AFL++'s afl-whatsup reads the instance (its fuzzer_stats) as one of its own
afl-whatsup -s out >whatsup.out 2>&1 || fail "afl-whatsup failed: $(tail -n 3 whatsup.out)"
grep -Eq 'Dead or remote : 1 ' whatsup.out || fail "afl-whatsup did not see the instance: $(cat whatsup.out)"

build reader deferred_init.c # prints "read N" for each input
rm -rf out
rc=0
AFL_IGNORE_UNKNOWN_ENVS=1 AFL_NOT_A_VARIABLE=1 AFL_DEBUG_CHILD=1 AFL_NO_AFFINITY=1 \
	"$FERRET" fuzz -i in -o out -s 1 -E 50 -- ./reader >run2.out 2>run2.err || rc=$?
assert_eq 0 "$rc" "exit status with AFL_DEBUG_CHILD"
assert_no_grep 'AFL_NOT_A_VARIABLE' run2.err
grep -q '^read [0-9]' run2.out run2.err || fail "AFL_DEBUG_CHILD: the target's output did not show"
rm -rf out
"$FERRET" fuzz -i in -o out -s 1 -E 50 -- ./reader >run3.out 2>run3.err
assert_no_grep '^read [0-9]' run3.out

# every row of the table is documented
for v in $(sed -n 's/^AFLENV(\([A-Z_0-9]*\),.*/\1/p' "$TOP/src/aflenv.def"); do
	grep -q "\`$v\`" "$TOP/docs/afl.md" || fail "docs/afl.md does not mention \`$v\`"
done
