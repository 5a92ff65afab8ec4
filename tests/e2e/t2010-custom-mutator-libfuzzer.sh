#!/bin/sh
# t2010: AFL++ custom mutators in libFuzzer mode (issue 11: the one loop
# runs them for libFuzzer-style harnesses too). tests/targets/custom_magic.c
# built as a harness (-DCUSTOM_MAGIC_LIBFUZZER) crashes only on the 16-byte
# magic the test mutator (custom_mutator.c) writes: with
# AFL_CUSTOM_MUTATOR_LIBRARY, -seed=1 -runs=20000 finds it and the artifact
# starts with the magic; without the library the same run finds nothing. A
# library that does not exist is one error line and exit 1, before any
# input runs.
. "$(dirname "$0")/lib.sh"

cc -shared -fPIC -o mut.so "$TARGETS/custom_mutator.c"
"$FCC" -O1 -g -fsanitize=fuzzer -DCUSTOM_MAGIC_LIBFUZZER -o harness "$TARGETS/custom_magic.c"

mkdir -p with without
printf 'a seed of some bytes' >with/seed
cp with/seed without/seed
rc=0
AFL_CUSTOM_MUTATOR_LIBRARY=$PWD/mut.so ./harness -seed=1 -runs=20000 with >with.out 2>with.err || rc=$?
[ "$rc" -ne 0 ] || fail "no crash with the custom mutator ($(grep -c NEW with.err) NEW lines)"
assert_eq 1 "$rc" "exit status of the crash (UBSan's)"
assert_ubsan_signal SEGV with.err
f=$(ls | grep '^crash-' | head -n 1)
[ -n "$f" ] || fail "no crash artifact"
assert_eq "CUSTOM-MUTATOR!!" "$(head -c 16 "$f")" "the artifact's first 16 bytes"
rm -f crash-*

rc=0
./harness -seed=1 -runs=20000 without >without.out 2>without.err || rc=$?
assert_eq 0 "$rc" "exit status without the mutator"
[ -z "$(ls | grep '^crash-' || true)" ] || fail "a crash without the mutator: the test shows nothing"

rc=0
AFL_CUSTOM_MUTATOR_LIBRARY=$PWD/missing.so ./harness -seed=1 -runs=100 without >missing.out 2>missing.err || rc=$?
assert_eq 1 "$rc" "exit status for a missing library"
assert_eq 1 "$(grep -c 'missing.so' missing.err)" "lines naming the missing library"
assert_no_grep '^#[0-9]' missing.err
