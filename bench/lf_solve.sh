#!/bin/sh
# lf_solve.sh - inputs libFuzzer solves in seconds (issue 14), side by side:
# each case of tests/targets/lf_solve.c and lf_solve.cc built with
# `ferret-cc -O1 -fsanitize=fuzzer` and `clang -O1 -fsanitize=fuzzer`
# (real libFuzzer), the same extra flags for both, run from an empty corpus
# with -seed=r -max_total_time=LIMIT for r in 1..SEEDS, one run at a time.
# Prints per case and engine the runs that crashed, the median seconds
# (wall clock around the run; a miss counts as larger than any) and the
# median executions to the crash (stat::number_of_executed_units).
# Settings: LF_SOLVE_SECONDS (60), LF_SOLVE_SEEDS (3), LF_SOLVE_CASES (all),
# FERRET_BUILD (build), BENCH_WORK (bench/work).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
FERRET_BUILD=${FERRET_BUILD:-$TOP/build}
LIMIT=${LF_SOLVE_SECONDS:-60}
SEEDS=${LF_SOLVE_SEEDS:-3}
W=${BENCH_WORK:-$TOP/bench/work}/lf_solve
B=$W/bin
GUARD=$((LIMIT + 60))
say() { echo "lf_solve: $*" >&2; }
die() {
	say "$*"
	exit 1
}
. "$TOP/bench/lib.sh"

# case: source file, extra flags for both compilers, extra fuzzer flags
CASES=${LF_SOLVE_CASES:-"counter string string2 fdp strstr memmem three vp4 div gep recurse"}
cflags() {
	case $1 in
	string | string2 | fdp) echo "lf_solve.cc" ;;
	div) echo "lf_solve.c -fsanitize-coverage=trace-div" ;;
	gep) echo "lf_solve.c -fsanitize-coverage=trace-gep" ;;
	*) echo "lf_solve.c" ;;
	esac
}
fflags() {
	case $1 in
	vp4 | div | gep) echo "-use_value_profile=1" ;;
	*) echo "" ;;
	esac
}

median() { # median of numbers on stdin, "-" for none, misses as "inf"
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print (m == "inf" || m > 1e300) ? ">" lim : m }' lim="$LIMIT"
}

rm -rf "$W"
mkdir -p "$B"
echo "ferret $(git -C "$TOP" rev-parse --short HEAD), LIMIT=${LIMIT}s, seeds 1..$SEEDS"
printf '%-8s %-9s %5s %8s %10s\n' case engine found sec execs
for c in $CASES; do
	set -- $(cflags "$c")
	src=$1
	shift
	def=-DSOLVE_$(echo "$c" | tr a-z A-Z)
	case $src in *.cc) fcc=ferret-c++ lcc=clang++ ;; *) fcc=ferret-cc lcc=clang ;; esac
	"$FERRET_BUILD/bin/$fcc" -O1 -fsanitize=fuzzer "$def" "$@" -o "$B/f-$c" "$TOP/tests/targets/$src"
	"$lcc" -O1 -fsanitize=fuzzer "$def" "$@" -o "$B/l-$c" "$TOP/tests/targets/$src"
	for e in f l; do
		: >"$W/$e-$c.sec"
		: >"$W/$e-$c.execs"
		found=0
		r=1
		while [ $r -le "$SEEDS" ]; do
			d=$W/run-$e-$c-$r
			mkdir -p "$d/corpus" "$d/art"
			t0=$(date +%s.%N)
			# shellcheck disable=SC2046
			run_fuzzer "$d/log" "$B/$e-$c" -seed=$r -max_total_time="$LIMIT" -print_final_stats=1 \
				$(fflags "$c") -artifact_prefix="$d/art/" "$d/corpus"
			t1=$(date +%s.%N)
			if ls "$d/art" | grep -q '^crash-'; then
				found=$((found + 1))
				echo "$t0 $t1" | awk '{ printf "%.2f\n", $2 - $1 }' >>"$W/$e-$c.sec"
				awk '/^stat::number_of_executed_units:/ { print $2 }' \
					"$d/log" >>"$W/$e-$c.execs"
			else
				echo inf >>"$W/$e-$c.sec"
			fi
			r=$((r + 1))
		done
		printf '%-8s %-9s %2s/%-2s %8s %10s\n' "$c" "$([ $e = f ] && echo ferret || echo libFuzzer)" \
			"$found" "$SEEDS" "$(median <"$W/$e-$c.sec")" "$(median <"$W/$e-$c.execs")"
	done
done
