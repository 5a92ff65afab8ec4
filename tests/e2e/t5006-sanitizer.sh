#!/bin/sh
# t5006: harnesses built with `ferret-cc -fsanitize=fuzzer,address`: a
# heap-buffer-overflow on an easy input shows ASan's report on stderr, a
# crash-<sha1> artifact is written and the exit status is non-zero; an
# over-read of the input itself is caught too (the target gets an
# exact-size heap copy, as in libFuzzer); re-running the artifact shows
# the report again; and the driver's own memory is never reported as a
# leak: no LeakSanitizer report after a crash, and a crash-free run
# bounded by -runs exits 0 without any sanitizer report.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer,address -o h-overflow "$TARGETS/lf_asan.c"
"$FCC" -O1 -g -fsanitize=fuzzer,address -DLF_INPUT_OVERREAD -o h-overread "$TARGETS/lf_asan.c"
"$FCC" -O1 -g -fsanitize=fuzzer,address -o paths "$TARGETS/lf_paths.c"

for h in overflow overread; do
	mkdir -p $h
	rc=0
	./h-$h -seed=1 -runs=100000 -artifact_prefix=$h/ >$h.out 2>$h.err || rc=$?
	assert_ne 0 "$rc" "$h: exit status after the overflow"
	assert_grep '^==[0-9]+==ERROR: AddressSanitizer: heap-buffer-overflow' $h.err
	assert_grep '^SUMMARY: AddressSanitizer: heap-buffer-overflow .*lf_asan\.c:[0-9]+' $h.err
	[ "$(ls $h | grep -Ec '^crash-[0-9a-f]{40}$')" = 1 ] || fail "$h: no crash-<sha1> artifact: $(ls $h)"
	crash=$h/$(ls $h)
	assert_grep "^artifact_prefix='$h/'; Test unit written to $crash\$" $h.err
	assert_eq "crash-$(sha1sum <"$crash" | cut -d' ' -f1)" "$(basename "$crash")" "$h: artifact name vs sha1"
	case $h in overflow) want=OV ;; overread) want=RD ;; esac
	assert_eq $want "$(head -c 2 "$crash")" "$h: first bytes of the artifact"
	assert_no_grep 'LeakSanitizer' $h.err

	rc=0
	./h-$h "$crash" >repro.out 2>repro.err || rc=$?
	assert_ne 0 "$rc" "$h: exit status when re-running the artifact"
	assert_grep 'ERROR: AddressSanitizer: heap-buffer-overflow' repro.err
	assert_no_grep 'LeakSanitizer' repro.err
done

# a crash-free ASan run: exit 0, no sanitizer report
mkdir -p corpus
rc=0
./paths -seed=1 -runs=2000 corpus >clean.out 2>clean.err || rc=$?
assert_no_grep 'Sanitizer' clean.err
assert_eq 0 "$rc" "exit status of a crash-free ASan run"
assert_grep '^Done 2000 runs' clean.err
