#!/bin/sh
# t5009: -jobs=N runs N fuzzing jobs of the same command line, -workers at
# a time, each logging to fuzz-JOB.log in the current directory, each a
# watched child (src/exec/child.c). Three jobs two at a time of a harness
# that never crashes (tests/targets/cmp_chain.c without its crash) all
# finish their -runs and the whole exits 0; with a harness that crashes on
# "BUG" (tests/targets/lf_bug.c, the seed holds it) every job reports the
# crash and -jobs exits with the worst status of its jobs: 1, UBSan's
# after its SEGV report, as with clang's libFuzzer. -reload: a file another
# process writes to the corpus directory is read back and run
# (tests/targets/lf_reload.c), not with -reload=0.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -DCMP_CHAIN_LIBFUZZER -DCMP_CHAIN_NO_CRASH \
	-o chain "$TARGETS/cmp_chain.c"
"$FCC" -O1 -g -fsanitize=fuzzer -o bug "$TARGETS/lf_bug.c"

mkdir -p ok && cd ok
rc=0
timeout 60 ../chain -jobs=3 -workers=2 -seed=1 -runs=2000 >jobs.out 2>jobs.err || rc=$?
assert_eq 0 "$rc" "exit status of three clean jobs (124: it hung)"
assert_grep '^INFO: running 3 jobs, 2 at a time$' jobs.err
for j in 0 1 2; do
	[ -f "fuzz-$j.log" ] || fail "no fuzz-$j.log: $(ls)"
	assert_grep '^Done 2000 runs in [0-9]+ second\(s\)$' "fuzz-$j.log"
done
[ ! -f fuzz-3.log ] || fail "a fourth job ran"
cd ..

mkdir -p crash/corpus && cd crash
printf 'xBUGx' >corpus/seed
rc=0
timeout 60 ../bug -jobs=2 -workers=2 -seed=1 -runs=1000 corpus >jobs.out 2>jobs.err || rc=$?
assert_eq 1 "$rc" "exit status of jobs that crash (UBSan's, 1)"
for j in 0 1; do
	assert_ubsan_signal SEGV "fuzz-$j.log"
	assert_grep "^artifact_prefix='\./'; Test unit written to \./crash-[0-9a-f]{40}\$" "fuzz-$j.log"
done
cd ..

# -reload: files another process writes to the first corpus directory are
# read back and run. lf_reload.c's seed "drop" writes such a file, whose
# bytes reach an abort that no feedback solves; the run finds it only by
# reading that file (-max_total_time is the safety net, not the test: the
# reload comes a second after the seeds). With -reload=0 the same harness
# runs its budget without a crash.
"$FCC" -O1 -g -fsanitize=fuzzer -o reload "$TARGETS/lf_reload.c"
mkdir -p reload-on/corpus reload-off/corpus
printf drop >reload-on/corpus/seed
printf drop >reload-off/corpus/seed
rc=0
(cd reload-on && RELOAD_DIR=$TMP/reload-on/corpus timeout 120 ../reload -seed=1 \
	-max_total_time=60 corpus >out.log 2>err.log) || rc=$?
assert_eq 77 "$rc" "exit status of a run that read the secret back (-reload=1, the default)"
assert_grep 'ERROR: libFuzzer: deadly signal' reload-on/err.log
secret=$(cat reload-on/corpus/dropped)
found=0
for f in reload-on/crash-*; do
	[ "$(cat "$f")" = "$secret" ] && found=1
done
assert_eq 1 "$found" "the crash artifact holds the file another process wrote"
rc=0
(cd reload-off && RELOAD_DIR=$TMP/reload-off/corpus timeout 120 ../reload -seed=1 \
	-reload=0 -runs=100000 corpus >out.log 2>err.log) || rc=$?
assert_eq 0 "$rc" "exit status with -reload=0 (the secret is not found by fuzzing)"
[ -f reload-off/corpus/dropped ] || fail "the harness did not drop its file"
