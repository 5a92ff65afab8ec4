#!/bin/sh
# t2000: compare feedback solves five magic checks that random mutation does
# not (tests/targets/cmp_magic.c, check chosen by argv[1]): a 32-bit and a
# 64-bit integer read with memcpy, strcmp of a NUL-terminated field against
# "FERRETKEYWORD", memcmp of 16 bytes at offset 8, and one case of a 32-bit
# switch. For clang and gcc builds: with default options each crash is found
# within 3000 executions and the saved crash holds the magic; with --no-cmp,
# the same seed and the same budget, no crash is found. After the strcmp run
# fuzzer_stats has auto_dict_entries > 0; with --no-cmp it is 0.
# Measured when written: found after 13..61 executions (seeds 1..8, both
# compilers), so the budget is ~50x the slowest find.
# cost: 13 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"
bind_cpu

budget=3000
seeds in AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
problems=

# hexbytes FILE SKIP COUNT: COUNT bytes of FILE from offset SKIP, as hex
hexbytes() {
	od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# expect_magic CHECK FILE: the crash input holds what CHECK compares against
expect_magic() {
	case $1 in
	u32) want=efbeadde got=$(hexbytes "$2" 0 4) ;;
	u64) want=1d5aeeffc0117efe got=$(hexbytes "$2" 0 8) ;;
	strcmp) want=4645525245544b4559574f5244 got=$(hexbytes "$2" 0 13) ;;
	memcmp) want=666572726574 got=$(hexbytes "$2" 8 6)
		want=${want}2d6d656d636d70217f01 got=$got$(hexbytes "$2" 14 10) ;;
	switch) want=37133713 got=$(hexbytes "$2" 0 4) ;;
	esac
	[ "$want" = "$got" ] || problems="$problems $cc/$1: crash holds $got, expected $want;"
}

for cc in clang gcc; do
	FERRET_CC=$cc build cmp-$cc cmp_magic.c
	for check in u32 u64 strcmp memcmp switch; do
		out=out-$cc-$check
		"$FERRET" fuzz -i in -o $out -s 1 -E $budget -C -- ./cmp-$cc $check 2>fuzz.log ||
			{ tail -n 5 fuzz.log >&2; fail "$cc/$check: ferret fuzz exited non-zero"; }
		n=$(count_files $out/default/crashes)
		if [ "$n" -eq 0 ]; then
			problems="$problems $cc/$check: no crash within $budget executions;"
		else
			for crash in "$out"/default/crashes/id:*; do break; done
			expect_magic $check "$crash"
		fi
		if [ $check = strcmp ]; then
			auto=$(stat_value $out/default auto_dict_entries)
			[ "${auto:-0}" -gt 0 ] ||
				problems="$problems $cc/strcmp: auto_dict_entries '$auto', expected > 0;"
		fi

		nocmp=$out-nocmp
		"$FERRET" fuzz -i in -o $nocmp -s 1 -E $budget -C --no-cmp -- ./cmp-$cc $check 2>fuzz.log ||
			{ tail -n 5 fuzz.log >&2; fail "$cc/$check --no-cmp: ferret fuzz exited non-zero"; }
		assert_eq $budget "$(stat_value $nocmp/default execs_done)" "$cc/$check --no-cmp: executions"
		n=$(count_files $nocmp/default/crashes)
		[ "$n" -eq 0 ] ||
			problems="$problems $cc/$check: $n crashes with --no-cmp (expected none);"
		auto=$(stat_value $nocmp/default auto_dict_entries)
		[ "$auto" = 0 ] ||
			problems="$problems $cc/$check --no-cmp: auto_dict_entries '$auto', expected 0;"
	done
done

[ -z "$problems" ] || fail "compare feedback:$problems"
