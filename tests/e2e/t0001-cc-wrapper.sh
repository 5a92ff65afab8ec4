#!/bin/sh
# t0001: ferret-cc and ferret-c++ as drop-in compilers. Compiling with -c
# and linking in a separate step gives an instrumented program; a C++
# program builds with ferret-c++; an instrumented program run outside the
# fuzzer prints and exits exactly like the plain gcc build (clang and gcc
# instrumentation); `ferret-cc --ferret-help` exits 0; a CMake project
# configured with CC=ferret-cc CXX=ferret-c++ builds instrumented programs;
# a -static program gets libc's compare routines behind the wrappers.
. "$(dirname "$0")/lib.sh"

# instrumented FILE PROG: `ferret showmap` sees edges when PROG runs FILE
instrumented() {
	"$FERRET" showmap -o map.txt "$1" -- "$2" 2>showmap.err ||
		{ cat showmap.err >&2; fail "showmap of $2 failed"; }
	[ -s map.txt ] || fail "$2: no edges in its map"
}

printf 'one 1\ntwo 22\n' >in-text

# compile-only, then link in a second command
for cc in clang gcc; do
	FERRET_CC=$cc "$FCC" -O1 -g -c -o classify-$cc.o "$TARGETS/classify.c"
	[ -s classify-$cc.o ] || fail "$cc: -c wrote no object"
	[ ! -e a.out ] || fail "$cc: -c linked an a.out"
	FERRET_CC=$cc "$FCC" -o classify-sep-$cc classify-$cc.o
	assert_eq "bytes 13 lines 2 digits 3" "$(./classify-sep-$cc <in-text)" \
		"$cc: separately linked program"
	instrumented in-text ./classify-sep-$cc
done

# C++ through ferret-c++
"$FCXX" -O1 -g -o words "$TARGETS/words.cpp"
printf 'b a b\n' >in-words
assert_eq "a 1
b 2" "$(./words <in-words)" "ferret-c++ program output"
instrumented in-words ./words

# the instrumented program behaves like the plain build, input by input
gcc -O1 -g -o classify-plain "$TARGETS/classify.c"
for cc in clang gcc; do
	FERRET_CC=$cc build classify-$cc classify.c
done
printf '' >in0
printf 'abc' >in1
printf '1\n2\n3\n' >in2
printf '\n\n\n\n\n12345 x\n' >in3
for f in in0 in1 in2 in3 in-text; do
	rc=0
	./classify-plain <$f >want.out || rc=$?
	for cc in clang gcc; do
		got=0
		./classify-$cc <$f >got.out || got=$?
		assert_eq "$(cat want.out)" "$(cat got.out)" "$cc build, stdout on $f"
		assert_eq "$rc" "$got" "$cc build, exit code on $f"
	done
done

# the wrapper's own help
"$FCC" --ferret-help >help.out || fail "ferret-cc --ferret-help exited $?"
assert_grep 'FERRET_CC' help.out

# a CMake project with CC/CXX set to the wrappers
mkdir proj
cp "$TARGETS/classify.c" "$TARGETS/words.cpp" proj/
cat >proj/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.13)
project(ferret_e2e C CXX)
add_executable(classify classify.c)
add_executable(words words.cpp)
CMAKE
CC="$FCC" CXX="$FCXX" cmake -S proj -B proj/build >cmake.log 2>&1 ||
	{ tail -n 20 cmake.log >&2; fail "cmake configure with CC=ferret-cc failed"; }
cmake --build proj/build >>cmake.log 2>&1 ||
	{ tail -n 20 cmake.log >&2; fail "cmake build with CC=ferret-cc failed"; }
assert_eq "bytes 13 lines 2 digits 3" "$(proj/build/classify <in-text)" "CMake-built C program"
assert_eq "a 1
b 2" "$(proj/build/words <in-words)" "CMake-built C++ program"
instrumented in-text proj/build/classify
instrumented in-words proj/build/words

# A -static program whose only use of memmem and strcasecmp is through the
# compare wrappers still gets libc's routines (the wrappers' references to
# libc are strong: weak ones pulled nothing from libc.a, and memmem
# jumped to address 0).
cat >static.c <<'EOS'
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv)
{
	(void)argc;
	printf("%d %d\n", memmem(argv[0], strlen(argv[0]), "stat", 4) != NULL,
	       strcasecmp("AbC", "abc") == 0);
	return 0;
}
EOS
"$FCC" -O1 -static -o static-prog static.c
assert_eq "1 1" "$(./static-prog)" "a -static program using memmem and strcasecmp"
