#!/bin/sh
# t5007: libFuzzer mode is deterministic (issue 8): a harness linked with
# `ferret-cc -fsanitize=fuzzer` (tests/targets/cmp_chain.c, its compare
# chain without the crash), run twice with -seed=1 -runs=30000 on an empty
# corpus directory (a fresh one each time, same command line in a/ and
# b/), compare feedback on (the default), leaves corpora with the same
# contents: the sorted sha1 of every file (libFuzzer names them by sha1
# too). The same again with -use_value_profile=1. Each run must exit 0
# after exactly 30000 runs ("Done 30000 runs") and keep at least 6
# entries (20 with value profile): the three keywords, "FRT1" and "HEAD"
# take compare feedback. A third run, w/, with FERRET_WHOLE_MAP=1 (the
# engine reads and clears the whole map instead of the counters each run
# touched, issue 15) must leave the same corpus: the touch list changes
# the cost of a run, never what the loop does.
# Measured when written: well under 1 s per run; 15 entries at 46cccca,
# 7 at 361ca7f (which solves the 64-bit compare later), 220-300 with value
# profile. At 46cccca plain runs differed in about 2 of 3 attempts (with
# `setarch -R` they matched: compare sites followed ASLR) and
# value-profile runs in every attempt (with `setarch -R` too: the
# in-process loop's schedule took in the wall clock); one value-profile
# run in about 24 said "Done 30001 runs". At 361ca7f (one loop for every
# mode) they matched every time.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/determinism.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -DCMP_CHAIN_LIBFUZZER -DCMP_CHAIN_NO_CRASH \
	-o chain "$TARGETS/cmp_chain.c"
problems=

# twice NAME MIN [flags...]: runs ./chain twice, in NAME-a/ and NAME-b/, and
# compares the corpora
twice() {
	name=$1 min=$2
	shift 2
	for r in a b w; do
		mkdir -p "$name-$r/corpus"
		rc=0
		wm=
		[ "$r" != w ] || wm=FERRET_WHOLE_MAP=1
		(cd "$name-$r" && env $wm ../chain -seed=1 -runs=30000 "$@" corpus >out.log 2>err.log) ||
			rc=$?
		[ "$rc" -eq 0 ] || { tail -n 5 "$name-$r/err.log" >&2; fail "$name, run $r: exit status $rc"; }
		grep -q '^Done 30000 runs' "$name-$r/err.log" ||
			problems="$problems $name, run $r: '$(grep '^Done' "$name-$r/err.log")';"
	done
	det_same "$name corpus" "$name-a/corpus" "$name-b/corpus" '*' "$min" ||
		problems="$problems $name;"
	det_same "$name corpus, whole map" "$name-a/corpus" "$name-w/corpus" '*' "$min" ||
		problems="$problems $name (FERRET_WHOLE_MAP);"
}

twice plain 6
twice value-profile 20 -use_value_profile=1

[ -z "$problems" ] || fail "not the same corpus twice, or too small:$problems"
