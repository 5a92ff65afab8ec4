# lib.sh - sourced by every tests/e2e/tNNNN-*.sh. Gives each test a private
# temporary directory, the built binaries, and assertions that print both
# sides when they fail. A test is a shell script that exits 0 on success.
set -eu
: "${FERRET_BUILD:?run through tests/e2e/run.sh or make e2e}"
# `ferret fuzz` binds to the first CPU no other ferret holds. Tests run two
# at a time, often beside other fuzzers, so which CPUs are free is luck: left
# on, a test could get the "no free CPU" warning that t3003 and t2001 count
# as a stray stderr line. What a test checks must not depend on it.
export FERRET_NO_AFFINITY=1
FERRET="$FERRET_BUILD/bin/ferret"
FCC="$FERRET_BUILD/bin/ferret-cc"
FCXX="$FERRET_BUILD/bin/ferret-c++"
TOP="$(cd "$(dirname "$0")/../.." && pwd)"
TARGETS="$TOP/tests/targets"
TMP=$(mktemp -d "/tmp/ferret-e2e.$(basename "$0" .sh).XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Stopped by run.sh's time limit or ^C: exit, so that the EXIT trap still
# removes the directory (a signal alone would skip it).
trap 'exit 143' TERM
trap 'exit 130' INT
cd "$TMP"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# assert_eq EXPECTED ACTUAL [what]
assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: expected '$1', got '$2'"
}

# assert_ne A B [what]
assert_ne() {
	[ "$1" != "$2" ] || fail "${3:-values are equal}: both '$1'"
}

# assert_grep PATTERN FILE: FILE has a line matching the extended regex
assert_grep() {
	grep -Eq -- "$1" "$2" || { echo "--- $2:" >&2; tail -n 20 "$2" >&2; fail "no line matching '$1' in $2"; }
}

# assert_no_grep PATTERN FILE
assert_no_grep() {
	! grep -Eq -- "$1" "$2" || { grep -E -- "$1" "$2" | head -n 5 >&2; fail "unexpected '$1' in $2"; }
}

# assert_ubsan_signal KIND FILE: FILE holds UBSan's report of a deadly
# signal (KIND: SEGV, FPE, BUS, ILL), what a -fsanitize=fuzzer build
# without another sanitizer prints, as clang links UBSan's runtime into
# each (docs/libfuzzer.md); the process then exits 1
assert_ubsan_signal() {
	assert_grep '^UndefinedBehaviorSanitizer:DEADLYSIGNAL$' "$2"
	assert_grep "^==[0-9]+==ERROR: UndefinedBehaviorSanitizer: $1 on " "$2"
	assert_grep "^SUMMARY: UndefinedBehaviorSanitizer: $1 " "$2"
}

# count_files DIR: number of id:* files in DIR
count_files() {
	ls "$1" 2>/dev/null | grep -c '^id:' || true
}

# build NAME SRC [cc flags...]: instrument tests/targets/SRC into ./NAME
# bind_cpu: this test's `ferret fuzz` runs bind to a CPU after all, in a
# lock directory of its own (no other test or fuzzer is kept from a CPU,
# and none is ever refused). For tests of many persistent executions:
# unbound, on an idle machine, engine and target ping-pong between the
# cores at an eighth of the speed (t2003: 50 s unbound, 8 s bound).
bind_cpu() {
	unset FERRET_NO_AFFINITY
	export FERRET_CPU_LOCK_DIR="$TMP/cpu-locks"
	mkdir -p "$FERRET_CPU_LOCK_DIR"
}

build() {
	name=$1 src=$2
	shift 2
	"$FCC" -O1 -g "$@" -o "$name" "$TARGETS/$src"
}

# seeds DIR CONTENT...: a seed directory with one file per CONTENT
seeds() {
	dir=$1
	shift
	mkdir -p "$dir"
	i=0
	for c in "$@"; do
		printf '%s' "$c" >"$dir/seed$i"
		i=$((i + 1))
	done
}

# stat_value DIR KEY: the value of KEY in DIR/fuzzer_stats (empty if absent)
stat_value() {
	sed -n "s/^$2 *: //p" "$1/fuzzer_stats"
}

# fuzz_clean OUT BUDGET MIN_FOUND PROGRAM: fuzzes PROGRAM from the seeds in
# ./in (seed 1, BUDGET executions) and asserts a clean run: exactly BUDGET
# executions, no crash, no hang, at least MIN_FOUND entries found by
# mutation, and every seed in the queue. How ferret fuzzes its own parsers.
fuzz_clean() {
	"$FERRET" fuzz -i in -o "$1" -s 1 -E "$2" -- "$4" 2>"$1.log" ||
		{ tail -n 5 "$1.log" >&2; fail "$1: ferret fuzz exited non-zero"; }
	assert_eq "$2" "$(stat_value "$1/default" execs_done)" "$1: executions"
	assert_eq 0 "$(count_files "$1/default/crashes")" "$1: crashes (inputs in $1/default/crashes)"
	assert_eq 0 "$(count_files "$1/default/hangs")" "$1: hangs"
	found=$(stat_value "$1/default" corpus_found)
	queue=$(count_files "$1/default/queue")
	nseeds=$(ls in | wc -l)
	[ "$found" -ge "$3" ] || fail "$1: only $found entries found by mutation, expected >= $3"
	[ "$queue" -ge $((nseeds + $3)) ] ||
		fail "$1: $queue queue entries, expected >= $nseeds seeds + $3"
	echo "$1: $queue queue entries, $found found" # for the log
}

# assert_none_left FILE WHAT: FILE holds "PID PGID" lines (written by a
# target's grandchildren); no live process (zombies aside) has one of those
# pids or is in one of those process groups. FILE is removed afterwards.
assert_none_left() {
	[ -s "$1" ] || fail "$2: no process was recorded in $1"
	for _d in /proc/[0-9]*; do
		_s=$(sed 's/.*) //' "$_d/stat" 2>/dev/null) || continue
		echo "${_d#/proc/} $_s"
	done >procs.txt
	while read -r _pid _pgid; do
		_live=$(awk -v p="$_pid" -v g="$_pgid" '$2 != "Z" && ($1 == p || $4 == g) { print $1 }' procs.txt)
		[ -z "$_live" ] || fail "$2: processes left behind: $_live (recorded: $_pid in group $_pgid)"
	done <"$1"
	rm -f "$1" procs.txt
}
