#!/bin/sh
# t3003: every usage or set-up error of `ferret fuzz` gives exactly one
# clear line on stderr, nothing on stdout, and a non-zero exit: unknown
# flag, missing value, bad number (also out of range: -t past a day or 0,
# -E past 2^64), missing target program, uninstrumented target (and what
# really happened when it is instrumented but dies first: a crash in a
# constructor, -m too small), empty seed directory, missing seed
# directory, a target that crashes on every seed. All cases are checked;
# the failures are listed together at the end. ferret's own __FERRET_*
# variables in the environment change nothing.
. "$(dirname "$0")/lib.sh"

build crash crash_first_a.c
build ctor_abort ctor_abort.c
gcc -O1 -g -o plain "$TARGETS/crash_first_a.c"
seeds in 0
mkdir empty
seeds crashing A AB
problems=

# expect_error NAME PATTERN ARGS...: `ferret fuzz ARGS` fails with one
# stderr line matching the extended regex PATTERN and prints nothing else
expect_error() {
	what=$1 pattern=$2
	shift 2
	rc=0
	"$FERRET" fuzz "$@" >err.out 2>err.txt </dev/null || rc=$?
	lines=$(wc -l <err.txt)
	why=
	[ "$rc" -ne 0 ] || why="$why exit status 0;"
	[ ! -s err.out ] || why="$why stdout not empty;"
	[ "$lines" -eq 1 ] || why="$why $lines lines on stderr, expected 1;"
	grep -Eq -- "$pattern" err.txt || why="$why no line matching '$pattern';"
	if [ -n "$why" ]; then
		echo "--- $what: ferret fuzz $*: rc=$rc,$why stderr:" >&2
		sed 's/^/    /' err.txt >&2
		problems="$problems $what;"
	fi
}

expect_error "unknown flag" "unknown option '-Z'" -i in -o out1 -Z -- ./crash
expect_error "missing value" "'-t' needs a value" -i in -o out2 -t
expect_error "bad number" "invalid value 'abc' for -t" -i in -o out3 -t abc -- ./crash
# a timeout past what poll() takes once meant no timeout at all; 2^64
# executions wrapped to a huge number
expect_error "timeout too long" "invalid value '2147483648' for -t" -i in -o out3 -t 2147483648 -- ./crash
expect_error "timeout zero" "invalid value '0' for -t" -i in -o out3 -t 0 -- ./crash
expect_error "executions past 2^64" "invalid value '18446744073709551616' for -E" -i in -o out3 -E 18446744073709551616 -- ./crash
expect_error "missing program" "'\./does-not-exist'" -i in -o out4 -- ./does-not-exist
expect_error "uninstrumented target" "not instrumented" -i in -o out5 -- ./plain
# what really happened, not "not instrumented" (issue 10)
expect_error "crash before the fork server" "killed by signal 6 \\(SIGABRT\\) before its fork server started" -i in -o out5 -- ./ctor_abort
expect_error "memory limit too small" "with -m 1 MiB: too little" -i in -o out5 -m 1 -- ./crash
expect_error "empty seed directory" "'empty'.*empty" -i empty -o out6 -- ./crash
expect_error "missing seed directory" "'no-such-dir'" -i no-such-dir -o out7 -- ./crash
expect_error "every seed crashes" "every seed" -i crashing -o out8 -- ./crash

[ -z "$problems" ] || fail "error cases not reported as one line:$problems"

# ferret's own variables left in the environment (a shell that ran a
# persistent target) do not change how another target starts
rc=0
__FERRET_PERSISTENT=1 __FERRET_DEFER=1 "$FERRET" fuzz -i in -o outenv -s 1 -E 200 -- ./crash 2>env.log || rc=$?
assert_eq 0 "$rc" "exit status with __FERRET_* variables in the environment"
