#!/bin/sh
# t5004: -fork=1 -ignore_crashes=1 keeps fuzzing after a crash, in jobs as
# libFuzzer's fork mode runs them: each crash is saved and its ERROR line
# printed, a job line follows each job, and the run ends once -runs is
# spent ("fuzzed for N iterations") with "INFO: exiting: RC", RC being the
# exit status (the last job's: 1, UBSan's, after a SEGV). LLVMFuzzerInitialize runs once for the
# whole run however many workers are started, and every worker has its
# effect. Restarted workers get the corpus without duplicates: no job
# line counts more entries than the corpus directory holds. Jobs after the
# first start from at most sqrt(N + 2) of the corpus's N inputs.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_init.c"

mkdir -p corpus
rc=0
LF_INIT_MARKER=$PWD/init.log ./harness -fork=1 -ignore_crashes=1 -seed=1 -runs=20000 corpus \
	>fork.out 2>fork.err || rc=$?
assert_grep "^INFO: exiting: $rc time: [0-9]+s\$" fork.err
assert_grep '^INFO: fuzzed for [0-9]+ iterations, wrapping up soon$' fork.err
assert_grep '^#[0-9]+: cov: [0-9]+ ft: [0-9]+ corp: [0-9]+ exec/s [0-9]+ oom/timeout/crash: 0/0/[0-9]+ time: [0-9]+s job: 2 dft_time: 0$' fork.err
# each crash's ERROR line, UBSan's here (clang links UBSan's runtime)
n_crash=$(grep -Ec '^==[0-9]+==ERROR: UndefinedBehaviorSanitizer: SEGV on ' fork.err || true)
[ "$n_crash" -ge 2 ] || fail "the run did not go on after the first crash ($n_crash crashes reported)"
assert_no_grep 'abort|SIGABRT' fork.err # a worker without the initialised state aborts

n_files=$(ls | grep -Ec '^crash-[0-9a-f]{40}$' || true)
[ "$n_files" -ge 2 ] || fail "fewer than two crash-<sha1> files: $(ls)"
for f in crash-*; do
	assert_eq "crash-$(sha1sum <"$f" | cut -d' ' -f1)" "$f" "crash artifact name vs sha1"
	assert_eq A "$(head -c 1 "$f")" "first byte of $f"
done

# LLVMFuzzerInitialize: called exactly once
[ -f init.log ] || fail "LLVMFuzzerInitialize was not called"
assert_eq 1 "$(wc -l <init.log | tr -d ' ')" "LLVMFuzzerInitialize calls in a run with restarts"

# restarted workers get the corpus once, not once more per restart
n_corpus=$(ls corpus | wc -l)
max_corp=$(sed -n 's/^#[0-9]*: cov: [0-9]* ft: [0-9]* corp: \([0-9]*\) .*/\1/p' fork.err | sort -n | tail -n 1)
[ "$max_corp" -le "$n_corpus" ] ||
	fail "a job started with $max_corp corpus entries; the corpus holds $n_corpus"

# a job starts from a part of the corpus, as libFuzzer's (FuzzerFork.cpp):
# the first from all of it (libFuzzer's merge of the seeds runs them all),
# later ones from at most floor(sqrt(N + 2)) of its N inputs. The second
# job dies at once on the empty input (tests/targets/lf_second_job.c), so
# its log, with its seed corpus line, is printed.
"$FCC" -O1 -g -fsanitize=fuzzer -o second "$TARGETS/lf_second_job.c"
mkdir -p sub
for i in $(seq 1 30); do printf "x%s" "$i" >"sub/x$i"; done
rc=0
LF_JOB_MARKER=$PWD/job.mark ./second -fork=1 -seed=1 -runs=100000000 sub >sub.out 2>sub.err || rc=$?
assert_eq 77 "$rc" "the exit status when the second job traps"
assert_grep '^INFO: log from the inner process:$' sub.err
n=$(sed -n 's/^#[0-9]*: cov: [0-9]* ft: [0-9]* corp: \([0-9]*\) .* job: 2 .*/\1/p' sub.err)
k=$(sed -n 's/^INFO: seed corpus: files: \([0-9]*\) .*/\1/p' sub.err)
[ -n "$n" ] && [ -n "$k" ] || fail "no job line or seed corpus line of the second job: $(cat sub.err)"
[ "$n" -ge 30 ] || fail "the corpus held $n inputs when the second job started, fewer than the 30 seeds"
[ "$k" -ge 1 ] && [ $((k * k)) -le $((n + 2)) ] ||
	fail "the second job started from $k of the $n inputs, not at most sqrt($n + 2)"
