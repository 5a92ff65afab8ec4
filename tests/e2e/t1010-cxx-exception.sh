#!/bin/sh
# t1010: an uncaught C++ exception is a crash that names the exception's
# type (issue 11): the runtime's terminate handler writes it into the
# shared header, ferret's crash line says "uncaught C++ exception
# std::out_of_range" (tests/targets/cxx_throw.cc), for clang and gcc
# builds. A crash that is not an exception names none.
. "$(dirname "$0")/lib.sh"

seeds in a
for cc in clang gcc; do
	case $cc in clang) cxx=clang++ ;; gcc) cxx=g++ ;; esac
	FERRET_CC=$cc FERRET_CXX=$cxx "$FCXX" -O1 -o "prog-$cc" "$TARGETS/cxx_throw.cc"
	rm -rf out
	"$FERRET" fuzz -i in -o out -s 1 -E 3000 -C -- "./prog-$cc" >"$cc.out" 2>"$cc.err" ||
		fail "$cc: ferret fuzz failed: $(tail -n 2 "$cc.err")"
	assert_grep '^ferret: crash \(signal 6 \(SIGABRT\), uncaught C\+\+ exception std::out_of_range\) saved: ' "$cc.err"
done

build plain crash_first_a.c
seeds in2 b
"$FERRET" fuzz -i in2 -o out2 -s 1 -E 3000 -C -- ./plain >plain.out 2>plain.err
assert_grep '^ferret: crash \(signal 11 \(SIGSEGV\)\) saved: ' plain.err
