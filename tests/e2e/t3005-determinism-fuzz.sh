#!/bin/sh
# t3005: `ferret fuzz` is deterministic (issue 8): the same binary, -s
# seed, seed directory and -E budget give the same queue and the same
# crashes, with compare feedback on (the default). tests/targets/
# cmp_chain.c, a chain of 32-bit, memcmp, 64-bit, switch and strcmp checks
# ending in a crash, is fuzzed twice from the same command line in fresh
# directories a/ and b/, as a fork-server build and as a persistent
# (FERRET_LOOP) build. The sorted sha1 of the contents of every queue file
# and of every crash file must be the same in both runs (names are not
# compared: they hold time: fields). Each run must do exactly -E
# executions and get deep: at least 12 queue entries and a crash, which
# only compare feedback reaches. A third run, w/, with FERRET_WHOLE_MAP=1
# (the engine reads and clears the whole map instead of the counters each
# run touched, issue 15) must give the same queue.
# Measured when written: fork server 6000 execs in ~1.5 s per run (idle
# machine), 17 entries, first crash at ~3600 execs; persistent 30000
# execs in 0.2 s, 17-19 entries, 6 crashes. At 46cccca the runs differed
# in every attempt (fork queue and crashes, persistent queue), parting in
# the first input-to-state stage; with `setarch -R` they matched, so
# compare sites seemed to follow ASLR. At 361ca7f (one loop for every
# mode) they matched when run alone, but with two or three runs at once
# the persistent queue differed about one time in four: the same input,
# entry 17, was +cov at execution 15467 in some runs and not in others.
. "$(dirname "$0")/lib.sh"
bind_cpu
. "$TOP/tests/e2e/determinism.sh"

build fork cmp_chain.c
build pers cmp_chain.c -DCMP_CHAIN_LOOP
seeds in AAAA
problems=

# twice NAME MODE BUDGET: fuzzes ./NAME twice, in NAME-a/ and NAME-b/, and
# compares the queues and the crashes
twice() {
	for r in a b w; do
		mkdir "$1-$r"
		wm=
		[ "$r" != w ] || wm=FERRET_WHOLE_MAP=1
		(cd "$1-$r" && env $wm "$FERRET" fuzz -i ../in -o out -s 1 -E "$3" -- "../$1" 2>fuzz.log) ||
			{ tail -n 5 "$1-$r/fuzz.log" >&2; fail "$1, run $r: ferret fuzz exited non-zero"; }
		execs=$(stat_value "$1-$r/out/default" execs_done)
		[ "$execs" = "$3" ] || problems="$problems $1, run $r: $execs executions;"
		assert_eq "$2" "$(stat_value "$1-$r/out/default" target_mode)" "$1, run $r: target_mode"
	done
	det_same "$1 queue" "$1-a/out/default/queue" "$1-b/out/default/queue" 'id:*' 12 ||
		problems="$problems $1 queue;"
	det_same "$1 crashes" "$1-a/out/default/crashes" "$1-b/out/default/crashes" 'id:*' 1 ||
		problems="$problems $1 crashes;"
	det_same "$1 queue, whole map" "$1-a/out/default/queue" "$1-w/out/default/queue" 'id:*' 12 ||
		problems="$problems $1 queue (FERRET_WHOLE_MAP);"
}

twice fork 'fork server' 6000
twice pers persistent 30000

[ -z "$problems" ] || fail "not the same findings twice, or too few:$problems"
