#!/bin/sh
# t5004: -fork=1 -ignore_crashes=1 keeps fuzzing after a crash: the crash
# is saved and reported, the supervisor restarts the worker (more than one
# crash is reported, and there is more than one crash-<sha1> file or a NEW
# line after a restart), the run ends when -runs is spent with a DONE
# line and exit 0. LLVMFuzzerInitialize runs once for the whole run
# however many workers are started, and every worker has its effect. A
# restarted worker re-runs the corpus it inherits without duplicates: no
# INITED line counts more inputs than the corpus directory holds.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_init.c"

mkdir -p corpus
rc=0
LF_INIT_MARKER=$PWD/init.log ./harness -fork=1 -ignore_crashes=1 -seed=1 -runs=20000 corpus \
	>fork.out 2>fork.err || rc=$?
assert_eq 0 "$rc" "exit status of -fork=1 -ignore_crashes=1 once -runs is spent"
assert_grep '^INFO: restarting the worker \(-fork\)$' fork.err
n_crash=$(grep -c 'ERROR: libFuzzer: deadly signal' fork.err || true)
[ "$n_crash" -ge 2 ] || fail "the run did not go on after the first crash ($n_crash crashes reported)"
assert_no_grep 'abort|SIGABRT' fork.err # a worker without the initialised state aborts
assert_grep '^#[0-9]+	DONE   cov: ' fork.err
assert_grep '^Done [0-9]+ runs in [0-9]+ second\(s\)$' fork.err

n_files=$(ls | grep -Ec '^crash-[0-9a-f]{40}$' || true)
[ "$n_files" -ge 1 ] || fail "no crash-<sha1> file: $(ls)"
for f in crash-*; do
	assert_eq "crash-$(sha1sum <"$f" | cut -d' ' -f1)" "$f" "crash artifact name vs sha1"
	assert_eq A "$(head -c 1 "$f")" "first byte of $f"
done
new_after=$(sed -n '/^INFO: restarting the worker/,$p' fork.err | grep -c '	NEW    ' || true)
[ "$n_files" -ge 2 ] || [ "$new_after" -ge 1 ] ||
	fail "no progress after restarting: $n_files crash file(s), no NEW line after a restart"

# LLVMFuzzerInitialize: called exactly once
[ -f init.log ] || fail "LLVMFuzzerInitialize was not called"
assert_eq 1 "$(wc -l <init.log | tr -d ' ')" "LLVMFuzzerInitialize calls in a run with restarts"

# restarted workers get the corpus once, not once more per restart (and,
# as libFuzzer, the empty input first)
n_corpus=$(ls corpus | wc -l)
max_inited=$(sed -n 's/^#\([0-9]*\)	INITED .*/\1/p' fork.err | sort -n | tail -n 1)
[ "$max_inited" -le $((n_corpus + 1)) ] ||
	fail "a restarted worker's INITED ran $max_inited inputs; the corpus holds $n_corpus ($(grep -c INITED fork.err) workers)"
