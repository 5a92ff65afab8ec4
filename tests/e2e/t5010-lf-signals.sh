#!/bin/sh
# t5010: libFuzzer mode and signals (tests/targets/lf_kill_parent.c).
# 1. A harness that SIGKILLs its parent (the supervisor) on inputs starting
#    with "KILL": the worker notices, saves every entry it announced as NEW to
#    the corpus, confirms the input kills its parent by running it again
#    under a stand-in parent, writes it as crash-<sha1>, and exits; nothing
#    is left running. SIGKILL from outside: no orphan, and no crash artifact
#    (the input in flight, run again, kills nothing).
# 2. Signals as real libFuzzer (clang 14) handles them, also with SIGINT
#    ignored by the shell that started it: SIGINT and SIGTERM print
#    "==PID== libFuzzer: run interrupted; exiting" and the final stats, exit
#    72; SIGUSR1 and SIGUSR2 print "INFO: signal received, trying to exit
#    gracefully" and "==PID== INFO: libFuzzer: exiting as requested", the
#    stats, exit 0. The same with -fork=1; in -merge=1 SIGTERM and SIGINT
#    stop the merge (exit 72) and SIGUSR1 lets it finish. No worker is left
#    behind in any case.
# 3. Running files and -jobs=N take SIGINT (ignored by the shell or not)
#    and SIGTERM the same way: "run interrupted", exit 72, the input in
#    flight (the jobs, their workers) killed, nothing left. Running files,
#    SIGUSR1 prints its line and the files go on (exit 0), as libFuzzer
#    does; -jobs passes it on to its jobs, which stop gracefully (exit 0).
# Every run is bounded (-max_total_time, `timeout`, or a wait of at most
# 20 s after which the test kills what it started, by pid, and fails).
# cost: 20 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_kill_parent.c"
export LF_KILL_PARENT_PIDS="$PWD/pids"

# wait_file FILE: until FILE is not empty (20 s at most)
wait_file() {
	_i=0
	while [ ! -s "$1" ]; do
		_i=$((_i + 1))
		[ $_i -le 400 ] || fail "nothing was recorded in $1 within 20 s"
		sleep 0.05
	done
}

# wait_gone PIDFILE: until no process recorded in PIDFILE is alive (zombies
# aside), 20 s at most (the worker may run its input once more first)
wait_gone() {
	_i=0
	while :; do
		_live=
		while read -r _p _g; do
			_st=$(sed 's/.*) //' "/proc/$_p/stat" 2>/dev/null | cut -c1) || true
			[ -n "$_st" ] && [ "$_st" != Z ] && _live="$_live $_p"
		done <"$1"
		[ -z "$_live" ] && return 0
		_i=$((_i + 1))
		[ $_i -le 400 ] || fail "still running 20 s after the supervisor ended:$_live"
		sleep 0.05
	done
}

# corpus_is_whole LOG DIR: the last NEW or REDUCE line's "corp: N/SIZEb"
# (the entries the worker holds, after any it retired or replaced) is what
# DIR holds: N files of SIZE bytes in all
corpus_is_whole() {
	_corp=$(grep -E '^#[0-9]+	(NEW|REDUCE) ' "$1" | tail -n 1 | sed -n 's/.* corp: \([0-9]*\/[0-9]*\)b .*/\1/p')
	[ -n "$_corp" ] || fail "no NEW line in $1 (in bytes)"
	assert_eq "$_corp" "$(ls "$2" | wc -l)/$(cat "$2"/* | wc -c)" "entries/bytes the worker announced vs in $2"
}

# stop PID SIG: sends SIG to PID, waits for it (20 s at most, else SIGKILL
# and fail); sets rc to its exit status
stop() {
	kill -"$2" "$1"
	_i=0
	while kill -0 "$1" 2>/dev/null && [ -d "/proc/$1" ] &&
		[ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]; do
		_i=$((_i + 1))
		if [ $_i -gt 400 ]; then
			kill -KILL "$1"
			wait "$1" || true
			fail "SIG$2 did not stop pid $1 within 20 s"
		fi
		sleep 0.05
	done
	rc=0
	wait "$1" || rc=$?
}

# ---- 1. the harness kills the supervisor ----
mkdir -p corpus arts
printf a >corpus/a
rc=0
LF_KILL_PARENT=1 timeout 60 ./harness -seed=1 -reduce_inputs=0 -max_total_time=30 \
	-artifact_prefix=arts/ corpus >kill.out 2>&1 || rc=$?
assert_eq 137 "$rc" "exit status of the killed supervisor (0: KILL never came)"
wait_gone pids
assert_grep '^==[0-9]+== ERROR: libFuzzer: fuzz target killed its parent process \(the supervisor\)$' kill.out
assert_eq 1 "$(ls arts | grep -c '^crash-')" "crash artifacts (arts: $(ls arts))"
crash=$(ls arts/crash-*)
assert_eq "arts/crash-$(sha1sum <"$crash" | cut -d' ' -f1)" "$crash" "the artifact's name"
assert_eq KILL "$(head -c 4 "$crash")" "the artifact's first bytes"
assert_grep "^artifact_prefix='arts/'; Test unit written to $crash\$" kill.out
corpus_is_whole kill.out corpus
for f in corpus/*; do
	assert_eq "$(basename "$f")" "$([ "$f" = corpus/a ] && echo a || sha1sum <"$f" | cut -d' ' -f1)" "corpus file name"
done
assert_none_left pids "the harness killed the supervisor"

# SIGKILL from outside: nothing left, no crash artifact (nothing to blame)
mkdir -p corpus2 arts2
printf a >corpus2/a
./harness -seed=1 -max_total_time=60 -artifact_prefix=arts2/ corpus2 >outside.out 2>&1 &
pid=$!
wait_file pids
sleep 0.3
stop $pid KILL
assert_eq 137 "$rc" "exit status after SIGKILL"
wait_gone pids
assert_eq "" "$(ls arts2)" "artifacts after a SIGKILL from outside"
assert_grep '^INFO: the supervisor \(pid [0-9]+\) died' outside.out
corpus_is_whole outside.out corpus2
assert_none_left pids "SIGKILL from outside"

# ---- 2. signals, as libFuzzer handles them ----
# run_sig SIG EXPECTED_RC MODE [flags...]: starts the harness with SIGINT
# ignored (as `nohup`-like shells and `&` in scripts do), sends SIG once the
# first input ran, checks its exit status and lines, and that nothing of
# it is left
run_sig() {
	sig=$1 want=$2 mode=$3
	shift 3
	rm -f pids
	(
		trap '' INT
		exec ./harness -seed=1 -max_total_time=60 -print_final_stats=1 "$@"
	) >"$sig-$mode.out" 2>&1 &
	pid=$!
	wait_file pids
	stop $pid "$sig"
	assert_eq "$want" "$rc" "exit status after SIG$sig ($mode)"
	out="$sig-$mode.out"
	case $sig in
	INT | TERM)
		assert_grep "^==$pid== libFuzzer: run interrupted; exiting\$" "$out"
		;;
	USR1 | USR2)
		assert_grep '^INFO: signal received, trying to exit gracefully$' "$out"
		;;
	esac
	wait_gone pids
	assert_none_left pids "SIG$sig ($mode)"
}

mkdir -p c_INT c_TERM c_USR1 c_USR2 c_fork c_fork2
for s in INT TERM; do
	run_sig $s 72 fuzz c_$s
	assert_grep '^stat::number_of_executed_units: *[0-9]+$' "$out"
	assert_grep '^stat::peak_rss_mb: *[0-9]+$' "$out"
	assert_no_grep '^Done [0-9]+ runs' "$out"
done
for s in USR1 USR2; do
	run_sig $s 0 fuzz c_$s
	assert_grep "^==$pid== INFO: libFuzzer: exiting as requested\$" "$out"
	assert_grep '^stat::number_of_executed_units: *[0-9]+$' "$out"
done
run_sig INT 72 fork -fork=1 c_fork
run_sig USR1 0 fork -fork=1 c_fork2
assert_grep "^==$pid== INFO: libFuzzer: exiting as requested\$" "$out"

# -merge=1: 80 inputs of 25 ms each, about 2 s
mkdir -p mout min
for i in $(seq 1 80); do printf "m$i" >"min/$i"; done
export LF_SLOW_MS=25
for s in TERM INT; do
	run_sig $s 72 merge -merge=1 mout min
	assert_no_grep '^MERGE-OUTER: [0-9]+ new files' "$out"
done
run_sig USR1 0 merge -merge=1 mout min
assert_grep '^MERGE-OUTER: [0-9]+ new files with [0-9]+ new features added' "$out"

# ---- 3. running files and -jobs=N ----
# 2 s per input: the signal lands while the first one runs
export LF_SLOW_MS=2000
printf a >f1
printf b >f2
for s in INT TERM; do
	run_sig $s 72 files f1 f2
	assert_no_grep '^Executed f1' "$out"
	assert_no_grep 'fuzzing was not performed' "$out"
done
run_sig USR1 0 files f1 f2
assert_grep '^Executed f2 in [0-9]+ ms$' "$out"

# -jobs: the jobs (their own groups) are recorded as they run, with pids
# FILE: the jobs' supervisors, direct children of $pid, as "PID PGID" lines
record_jobs() {
	for _c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		echo "$_c $_c" >>"$2"
	done
}
# run_jobs SIG EXPECTED_RC: -jobs=3 -workers=2 started with SIGINT ignored;
# SIG once both jobs' workers ran an input
run_jobs() {
	rm -rf "j_$1" && mkdir -p "j_$1/c" && printf a >"j_$1/c/a"
	rm -f pids
	(
		cd "j_$1"
		trap '' INT
		exec ../harness -jobs=3 -workers=2 -seed=1 -max_total_time=60 c
	) >"$1-jobs.out" 2>&1 &
	pid=$!
	_i=0
	while [ "$(wc -l <pids 2>/dev/null || echo 0)" -lt 2 ]; do
		_i=$((_i + 1))
		[ $_i -le 400 ] || fail "the two jobs did not start within 20 s"
		sleep 0.05
	done
	record_jobs $pid pids
	stop $pid "$1"
	assert_eq "$2" "$rc" "exit status of -jobs after SIG$1"
	out="$1-jobs.out"
	wait_gone pids
	assert_none_left pids "-jobs, SIG$1"
}
for s in INT TERM; do
	run_jobs $s 72
	assert_grep "^==$pid== libFuzzer: run interrupted; exiting\$" "$out"
	[ ! -f "j_$s/fuzz-2.log" ] || fail "a job started after SIG$s"
done
run_jobs USR1 0
for j in 0 1; do
	assert_grep '^INFO: signal received, trying to exit gracefully$' "j_USR1/fuzz-$j.log"
	assert_grep '^==[0-9]+== INFO: libFuzzer: exiting as requested$' "j_USR1/fuzz-$j.log"
done
[ ! -f j_USR1/fuzz-2.log ] || fail "a job started after SIGUSR1"
