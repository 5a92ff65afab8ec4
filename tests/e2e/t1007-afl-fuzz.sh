#!/bin/sh
# t1007: afl-fuzz (Debian's AFL++ 4.04c) runs ferret-cc binaries through
# AFL's own protocol: the runtime attaches AFL's map and answers its fork
# server. A stdin program in fork-server mode, a persistent harness that
# reads stdin inside __AFL_LOOP, and an AFL++ harness with shared-memory
# test cases (__AFL_FUZZ_INIT) each report coverage and find new paths.
. "$(dirname "$0")/lib.sh"

command -v afl-fuzz >/dev/null || fail "afl-fuzz is not installed (scripts/install-deps.sh)"
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
# no ferret engine around: the runtime must take AFL's path
unset __FERRET_SHM __FERRET_PERSISTENT __FERRET_DEFER 2>/dev/null || true

build fork afl_branches.c
build loop afl_branches.c -DAFL_BRANCHES_LOOP
build shm afl_persist.c
seeds in x

# afl_run NAME EXECS LOG-PATTERN...: afl-fuzz NAME for EXECS executions;
# fuzzer_stats shows coverage and more entries than the one seed, and the
# log has each pattern.
afl_run() {
	name=$1 execs=$2
	shift 2
	rc=0
	timeout 20 afl-fuzz -i in -o "out-$name" -s 1 -E "$execs" -- "./$name" \
		>"$name.log" 2>&1 || rc=$?
	[ "$rc" = 0 ] || { tail -n 15 "$name.log" >&2; fail "$name: afl-fuzz exited $rc"; }
	stats=out-$name/default/fuzzer_stats
	[ -f "$stats" ] || fail "$name: no fuzzer_stats"
	assert_no_grep 'No instrumentation detected|not instrumented|PROGRAM ABORT' "$name.log"
	assert_grep 'All right - fork server is up' "$name.log"
	edges=$(sed -n 's/^edges_found *: //p' "$stats")
	corpus=$(sed -n 's/^corpus_count *: //p' "$stats")
	[ "$edges" -gt 0 ] || fail "$name: edges_found is $edges"
	[ "$corpus" -gt 1 ] || fail "$name: corpus_count is $corpus, no new path"
	for p in "$@"; do
		assert_grep "$p" "$name.log"
	done
	echo "$name: edges $edges, corpus $corpus, $(sed -n 's/^execs_per_sec *: //p' "$stats") exec/s"
}

afl_run fork 3000 'Target map size: [0-9]+'
assert_no_grep 'Persistent mode binary' fork.log
afl_run loop 20000 'Persistent mode binary detected'
afl_run shm 20000 'Persistent mode binary detected' 'Using SHARED MEMORY FUZZING'
