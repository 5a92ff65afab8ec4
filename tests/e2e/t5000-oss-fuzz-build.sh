#!/bin/sh
# t5000: a harness built exactly as OSS-Fuzz builds one ($CC $CFLAGS -c,
# then link with $LIB_FUZZING_ENGINE from `ferret-cc --print-fuzzer-lib`),
# in C and in C++, finds its planted crash ("FUZ" + a 32-bit magic): exit
# 1, UBSan's SEGV report (clang links UBSan's runtime into a libFuzzer
# build, and so does ferret-cc) and libFuzzer's artifact line, a
# crash-<sha1> file named by the sha1 of its content that reproduces when
# passed back; the corpus directory gets new files named by their sha1;
# the INITED/NEW status lines have libFuzzer's format; and -runs stops a
# crash-free harness with a DONE line, "Done N runs" and exit 0. A harness
# in a static library is linked (the driver's reference to it is weak), one
# in a shared library is found at start-up, and a program with functions of
# the engine's own names links; a FuzzedDataProvider harness builds with
# gcc.
. "$(dirname "$0")/lib.sh"

CC=$FCC
CXX=$FCXX
CFLAGS="-O1 -g -fsanitize=fuzzer-no-link"
CXXFLAGS="$CFLAGS"
LIB_FUZZING_ENGINE=$($CC --print-fuzzer-lib)
[ -f "$LIB_FUZZING_ENGINE" ] || fail "--print-fuzzer-lib printed '$LIB_FUZZING_ENGINE', not a file"

cp "$TARGETS/lf_magic.c" harness.c
cp "$TARGETS/lf_magic.cc" harness_cxx.cc
$CC $CFLAGS -c harness.c
$CC $CFLAGS harness.o $LIB_FUZZING_ENGINE -o harness
$CXX $CXXFLAGS -c harness_cxx.cc
$CXX $CXXFLAGS harness_cxx.o $LIB_FUZZING_ENGINE -o harness_cxx
# the harness inside a static library, after the engine on the command line
# (pcre2's build: $LIB_FUZZING_ENGINE .libs/libpcre2-fuzzsupport.a ...)
ar rcs libharness.a harness.o
$CC $CFLAGS -o harness_ar $LIB_FUZZING_ENGINE libharness.a
rc=0
./harness_ar -runs=10 >ar.out 2>&1 || rc=$?
assert_eq 0 "$rc" "a harness linked from a static library runs (log: $(tail -n 1 ar.out))"
assert_grep '^Done 10 runs in' ar.out
# gcc has no <fuzzer/FuzzedDataProvider.h> of its own: ferret-cc gives it
# clang's
FERRET_CC=gcc FERRET_CXX=g++ $CXX -O1 -g -fsanitize=fuzzer -o fdp_gcc "$TARGETS/lf_fdp.cc" ||
	fail "a FuzzedDataProvider harness does not build with gcc"
rc=0
./fdp_gcc -runs=10 >fdp.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the gcc FuzzedDataProvider harness runs"

# the status lines, as libFuzzer's Fuzzer::PrintStats prints them
stats='cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+(b|Kb|Mb|KB|MB)( lim: [0-9]+)? exec/s: [0-9]+ rss: [0-9]+(Mb|MB)'
inited_re="^#[0-9]+	INITED $stats\$"
new_re="^#[0-9]+	NEW    $stats L: [0-9]+/[0-9]+ MS: [0-9]+ [^ ]*\$"
done_re="^#[0-9]+	DONE   $stats\$"

for h in harness harness_cxx; do
	rm -rf run-$h
	mkdir -p run-$h/corpus
	cp $h run-$h/
	cd run-$h
	rc=0
	./$h -seed=1 -runs=200000 corpus/ 2>fuzz.err >fuzz.out || rc=$?
	assert_eq 1 "$rc" "$h: exit status after the crash"
	assert_ubsan_signal SEGV fuzz.err
	assert_grep "^artifact_prefix='\./'; Test unit written to \./crash-[0-9a-f]{40}\$" fuzz.err
	assert_grep '^Base64: ' fuzz.err
	assert_grep "$inited_re" fuzz.err
	assert_grep "$new_re" fuzz.err
	[ "$(ls | grep -c '^crash-')" = 1 ] || fail "$h: expected one crash- file, got: $(ls)"
	crash=$(ls | grep '^crash-')
	echo "$crash" | grep -Eq '^crash-[0-9a-f]{40}$' || fail "$h: bad artifact name '$crash'"
	grep -q "Test unit written to \./$crash\$" fuzz.err || fail "$h: the log names another artifact than $crash"
	assert_eq "crash-$(sha1sum <"$crash" | cut -d' ' -f1)" "$crash" "$h: artifact name vs sha1 of its content"
	printf 'FUZ\002\260\255\033' >want
	assert_eq "$(od -An -tx1 want)" "$(head -c 7 "$crash" | od -An -tx1)" "$h: the crash starts with FUZ + magic"

	# the corpus got new entries, each named by its sha1
	n=$(ls corpus | wc -l)
	[ "$n" -ge 2 ] || fail "$h: corpus/ has $n files, expected new entries"
	for f in corpus/*; do
		assert_eq "$(basename "$f")" "$(sha1sum <"$f" | cut -d' ' -f1)" "$h: corpus file name vs sha1"
	done

	# reproducing: the crash file alone crashes again
	rc=0
	./$h "$crash" >repro.out 2>repro.err || rc=$?
	assert_eq 1 "$rc" "$h: exit status when re-running $crash"
	assert_grep "^Running: $crash\$" repro.err
	assert_ubsan_signal SEGV repro.err
	# and a harmless file runs cleanly
	printf 'hello' >ok.txt
	./$h ok.txt 2>ok.err || fail "$h: a harmless input exited non-zero"
	assert_grep '^Executed ok.txt in [0-9]+ ms$' ok.err
	cd ..
done

# -runs bounds a crash-free harness: DONE line, "Done N runs", exit 0
$CC $CFLAGS -DLF_NO_CRASH -c harness.c -o safe.o
$CC $CFLAGS safe.o $LIB_FUZZING_ENGINE -o safe
mkdir -p safe-corpus
rc=0
./safe -seed=1 -runs=3000 safe-corpus/ 2>safe.err || rc=$?
assert_eq 0 "$rc" "exit status of a crash-free run bounded by -runs"
assert_grep "$inited_re" safe.err
assert_grep "$done_re" safe.err
assert_grep '^Done 3000 runs in [0-9]+ second\(s\)$' safe.err
assert_no_grep 'ERROR: libFuzzer' safe.err
[ -z "$(ls | grep -E '^(crash|timeout|oom)-')" ] || fail "artifacts after a crash-free run: $(ls)"

# a program with functions and data of the same names as the engine's own
# (die, log_info, path_join, ...): links with clang and gcc, and its calls
# reach its own definitions (the driver archive keeps only its interface
# global)
printf abc >names.in
for cc in clang gcc; do
	FERRET_CC=$cc $CC -O1 -g -fsanitize=fuzzer -o names_$cc "$TARGETS/lf_names.c" ||
		fail "$cc: a harness defining die, log_info and path_join does not link"
	rc=0
	./names_$cc names.in >names_$cc.out 2>&1 || rc=$?
	assert_eq 0 "$rc" "$cc: the harness with the engine's names runs"
	assert_grep '^names: own$' names_$cc.out
done

# the harness inside a shared library the program loads (the executable's
# references are bound to the driver's stand-in): found at start-up, its
# crash found and saved
$CC $CFLAGS -fPIC -shared -o libmagic.so harness.c
echo 'int so_dummy;' >so_main.c
$CC -O1 -g -fsanitize=fuzzer -o harness_so so_main.c -L. -lmagic -Wl,-rpath,"$PWD"
mkdir -p so && cd so
rc=0
../harness_so -seed=1 -runs=1000000 >../so.out 2>&1 || rc=$?
cd ..
[ "$rc" -ne 0 ] || fail "the harness in a shared library was not run (log: $(tail -n 1 so.out))"
assert_no_grep 'defines neither' so.out
f=$(ls so | grep '^crash-' | head -n 1)
[ -n "$f" ] || fail "no crash file from the harness in a shared library (log: $(tail -n 1 so.out))"
rc=0
./harness_so "so/$f" >so_rerun.out 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "so/$f does not crash the harness in a shared library again"
