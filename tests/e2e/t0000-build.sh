#!/bin/sh
# t0000: AFL's test_build. A five-line program instrumented by ferret-cc
# (clang and gcc) behaves like the plain build, and `ferret showmap` of the
# inputs "0" and "1" differ.
. "$(dirname "$0")/lib.sh"

for cc in clang gcc; do
	FERRET_CC=$cc build zo-$cc zero_one.c
	assert_eq zero "$(printf 0 | ./zo-$cc)" "$cc build, input 0"
	assert_eq other "$(printf 1 | ./zo-$cc)" "$cc build, input 1"
	printf 0 >in0
	printf 1 >in1
	"$FERRET" showmap -o map0 in0 -- ./zo-$cc 2>/dev/null
	"$FERRET" showmap -o map1 in1 -- ./zo-$cc 2>/dev/null
	[ -s map0 ] || fail "$cc: empty map for input 0"
	assert_ne "$(cat map0)" "$(cat map1)" "$cc: maps of 0 and 1"
done
