#!/bin/sh
# t2003: --value-profile. The target (tests/targets/vp_magic.c, persistent
# mode) crashes when its first 4 bytes, rotated and xor-ed with a volatile
# mask, equal a 32-bit constant: the compared value never appears in the
# input, so input-to-state cannot solve it (checked: not found with default
# options), and random mutation does not guess it. With --no-cmp
# --value-profile the crash is found within 1,000,000 executions and holds
# the right bytes; with --no-cmp alone, the same seed and the same budget,
# it is not. And fuzzer_stats total_edges is the target's edges plus the
# 65536 value profile counters, never fewer than edges_found.
# Measured when written: value profile found it after 20k..194k executions
# over seeds 1..70 (median ~65k; runs with one seed are not exactly
# repeatable), so the budget is 5x the slowest find and 15x the median.
# cost: 16 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"
bind_cpu # 2.2 M persistent executions

budget=1000000
build vp vp_magic.c
seeds in AAAAAAAA

# run OUT ARGS...: a bounded run that must succeed
run() {
	out=$1
	shift
	"$FERRET" fuzz -i in -o "$out" -s 1 "$@" -- ./vp 2>"$out.log" ||
		{ tail -n 5 "$out.log" >&2; fail "$out: ferret fuzz $* exited non-zero"; }
}

# value profile finds it
run out-vp -E $budget -C --no-cmp --value-profile
for crash in out-vp/default/crashes/id:*; do break; done
[ -e "$crash" ] || fail "--no-cmp --value-profile: no crash within $budget executions"
# rotr(0x7e57ab1e ^ 0x5a5a5a5a, 13) = 0x8a21206f, little endian
assert_eq 6f20218a "$(od -An -tx1 -N4 "$crash" | tr -d ' \n')" \
	"first 4 bytes of the crash"

# the same seed and budget without value profile do not
run out-plain -E $budget --no-cmp
assert_eq $budget "$(stat_value out-plain/default execs_done)" "--no-cmp: executions"
assert_eq 0 "$(count_files out-plain/default/crashes)" "--no-cmp: crashes"

# nor does input-to-state (a smaller budget: it solves what it can at once)
run out-cmp -E 200000
assert_eq 0 "$(count_files out-cmp/default/crashes)" "default options: crashes"

# the value profile counters are part of the map the stats describe
edges=$(stat_value out-plain/default total_edges)
vp_edges=$(stat_value out-vp/default total_edges)
assert_eq $((edges + 65536)) "$vp_edges" "total_edges with --value-profile (without: $edges)"
found=$(stat_value out-vp/default edges_found)
[ "$found" -le "$vp_edges" ] ||
	fail "--value-profile: edges_found $found > total_edges $vp_edges (bitmap_cvg $(stat_value out-vp/default bitmap_cvg))"
