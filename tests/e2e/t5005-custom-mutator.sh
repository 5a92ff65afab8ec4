#!/bin/sh
# t5005: a harness defining LLVMFuzzerCustomMutator (LLVMFuzzerMutate, then
# byte 0 forced to 'Z') gets its mutator used instead of the built-in
# ones, as in libFuzzer: every corpus file other than the seed starts with
# 'Z', with default flags and with -use_cmp=0; and LLVMFuzzerMutate works
# (the corpus grows by several distinct inputs).
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_custom.c"

for flags in -use_cmp=0 -use_cmp=1; do
	rm -rf corpus
	mkdir corpus
	printf 'Qinit' >corpus/seed
	rc=0
	./harness -seed=1 -runs=20000 $flags corpus >fuzz.out 2>fuzz.err || rc=$?
	assert_eq 0 "$rc" "$flags: exit status"
	n_z=0
	for f in corpus/*; do
		cmp -s "$f" corpus/seed && continue # the seed, maybe also under its sha1
		if [ "$(head -c 1 "$f")" != Z ]; then
			grep -E '	NEW ' fuzz.err | head -n 5 >&2
			fail "$flags: corpus file $f does not start with 'Z': $(od -An -c "$f" | head -n 1)"
		fi
		n_z=$((n_z + 1))
	done
	[ "$n_z" -ge 2 ] || fail "$flags: the custom mutator added $n_z inputs, expected several"
done
