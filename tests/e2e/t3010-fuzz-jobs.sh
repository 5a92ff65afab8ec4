#!/bin/sh
# t3010: `ferret fuzz -j 2` (issue 15; docs/parallel.md). One command runs
# -M main and -S s2 on one -o: both instance directories exist and both
# executed, they are bound to different CPUs when there are two (CPU
# binding on, with this test's own lock directory), the status lines name
# the total and both instances, and no process of the run outlives it.
# SIGINT to ferret stops both at once, exit 0, nothing left. Coverage
# summaries: a secondary whose seeds are the main's queue skips every
# import of that queue (sync_skipped, no sync: entry in its queue), and one
# corrupt summary makes exactly that entry run again.
# cost: 5
. "$(dirname "$0")/lib.sh"

build classify classify.c
seeds in 'a1
'
# left_behind WHAT: no process runs this test's target, and no ferret has
# this directory as its working directory (the supervisor was waited for;
# this looks for instances and fork servers)
left_behind() {
	for _d in /proc/[0-9]*; do
		_exe=$(readlink "$_d/exe" 2>/dev/null) || continue
		_cwd=$(readlink "$_d/cwd" 2>/dev/null) || continue
		if [ "$_exe" = "$TMP/classify" ] ||
			{ [ "$_exe" = "$(readlink -f "$FERRET")" ] && [ "$_cwd" = "$TMP" ]; }; then
			grep -q '^State:.*Z' "$_d/status" 2>/dev/null && continue
			fail "$1: process ${_d#/proc/} ($_exe) left behind"
		fi
	done
}

unset FERRET_NO_AFFINITY
export FERRET_CPU_LOCK_DIR="$TMP/locks"
mkdir locks
rc=0
timeout 30 "$FERRET" fuzz -i in -o out -j 2 -s 7 -V 2 -- ./classify 2>j.log || rc=$?
assert_eq 0 "$rc" "exit status of -j 2 -V 2 (124: it hung)"
left_behind "-j 2 -V 2"
for d in main s2; do
	[ -s out/$d/fuzzer_stats ] || fail "no out/$d/fuzzer_stats"
	x=$(stat_value out/$d execs_done)
	[ "$x" -gt 0 ] || fail "instance $d did not run ($x executions)"
done
[ -e out/main/is_main_node ] || fail "no out/main/is_main_node"
[ ! -e out/s2/is_main_node ] || fail "s2 wrote is_main_node"
if [ "$(nproc)" -ge 2 ]; then
	assert_ne "$(stat_value out/main cpu_affinity)" "$(stat_value out/s2 cpu_affinity)" \
		"the instances' CPUs"
fi
assert_grep '^ferret: \[[0-9]+s\] 2 instances: execs [0-9]+ .*\| main .*\| s2 ' j.log
assert_grep '^ferret: stopped 2 instances after [0-9]+ executions in total' j.log
total=$(sed -n 's/^ferret: stopped 2 instances after \([0-9]*\) .*/\1/p' j.log)
assert_eq $(($(stat_value out/main execs_done) + $(stat_value out/s2 execs_done))) "$total" \
	"the total of the instances' executions"
assert_no_grep 'warning|cannot' j.log

# SIGINT to ferret stops every instance (-V only bounds a broken test)
export FERRET_NO_AFFINITY=1
"$FERRET" fuzz -i in -o int -j 2 -s 7 -V 20 -- ./classify 2>int.log &
pid=$!
i=0
while [ ! -s int/main/fuzzer_stats ] || [ ! -s int/s2/fuzzer_stats ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { kill -KILL $pid; fail "the instances did not start in 10 s"; }
	sleep 0.1
done
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" -eq 0 ] || tail -n 20 int.log >&2
assert_eq 0 "$rc" "exit status after SIGINT"
left_behind "SIGINT"
assert_grep '^ferret\[main\]: stopped after' int.log
assert_grep '^ferret\[s2\]: stopped after' int.log

# summaries: s1 calibrates main's whole queue as seeds, so each import of
# it adds nothing and is skipped; a corrupt summary makes its entry run
"$FERRET" fuzz -i in -o sum -M main -s 1 -E 3000 -- ./classify 2>main.log ||
	{ tail -n 5 main.log >&2; fail "main instance exited non-zero"; }
nq=$(count_files sum/main/queue)
[ "$nq" -ge 3 ] || fail "main found too little to share ($nq queue entries)"
assert_eq "$nq" "$(ls sum/main/.cov | grep -c '^id:')" "summaries in sum/main/.cov"
"$FERRET" fuzz -i sum/main/queue -o sum -S s1 -s 2 -E 100 -- ./classify 2>s1.log ||
	{ tail -n 5 s1.log >&2; fail "s1 exited non-zero"; }
assert_eq "$nq" "$(stat_value sum/s1 sync_skipped)" "s1: imports skipped"
assert_eq 0 "$(stat_value sum/s1 corpus_imported)" "s1: imports kept"
assert_eq 0 "$(ls sum/s1/queue | grep -c ',sync:')" "s1: sync: entries in its queue"
f=$(ls sum/main/.cov | grep '^id:' | sed -n 2p)
printf 'FRTCOV2\nnot a summary' >"sum/main/.cov/$f"
"$FERRET" fuzz -i sum/main/queue -o sum -S s2 -s 2 -E 100 -- ./classify 2>s2.log ||
	{ tail -n 5 s2.log >&2; fail "s2 exited non-zero"; }
assert_eq $((nq - 1)) "$(stat_value sum/s2 sync_skipped)" "s2: imports skipped (one corrupt summary)"
assert_eq 0 "$(stat_value sum/s2 corpus_imported)" "s2: imports kept (the one run adds nothing)"
