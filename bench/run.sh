#!/bin/sh
# run.sh - ferret vs AFL++ vs the bare harness, fork mode and persistent mode.
# Builds bench/harness.c with ferret-cc, afl-clang-fast and clang (all -O2),
# fuzzes each instrumented build for BENCH_SECONDS with each fuzzer, one run
# at a time, then prints exec/s side by side. See bench/README.md.
#
# Environment:
#   BENCH_SECONDS       seconds per fuzzing run (default 30)
#   BENCH_BARE_SECONDS  seconds per bare measurement (default 3)
#   BENCH_LOOP_N        persistent-loop iterations per process (default 10000)
#   BENCH_WORK          scratch directory (default bench/work, wiped first)
#   FERRET_BUILD        ferret build directory (default build)
set -eu

S=${BENCH_SECONDS:-30}
BARE_S=${BENCH_BARE_SECONDS:-3}
N=${BENCH_LOOP_N:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${BENCH_WORK:-$HERE/work}
FERRET=$BUILD/bin/ferret
FCC=$BUILD/bin/ferret-cc
CFLAGS="-O2"
GUARD=$((S + 60)) # timeout safety net per fuzzing run

say() { echo "bench: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# --- prerequisites -----------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1 || ! command -v afl-clang-fast >/dev/null 2>&1; then
	"$ROOT/scripts/install-deps.sh" afl++ afl++-clang
fi
command -v clang >/dev/null 2>&1 || "$ROOT/scripts/install-deps.sh" clang
if [ ! -x "$FERRET" ] || [ ! -x "$FCC" ]; then make -C "$ROOT" all >&2; fi
for t in afl-fuzz afl-clang-fast clang timeout setsid; do
	command -v $t >/dev/null 2>&1 || die "$t not found"
done

# --- process hygiene: bench/lib.sh ---------------------------------------------
. "$(dirname "$0")/lib.sh"

# run_fuzzer LOG CMD...: runs CMD under timeout in a new session; afterwards
# nothing of that session may remain.
run_fuzzer() {
	log=$1
	shift
	setsid timeout -k 5 "$GUARD" "$@" >"$log" 2>&1 &
	CUR=$!
	rc=0
	wait "$CUR" || rc=$?
	left=$(ps -o pid= -s "$CUR" 2>/dev/null | wc -l)
	[ "$left" -eq 0 ] || say "warning: $left process(es) left in the session of '$1', killing them"
	cleanup
	reap_strays "'$1'"
	[ "$rc" -ne 124 ] || say "warning: '$1' hit the ${GUARD}s safety timeout"
	if [ "$rc" -ne 0 ]; then
		say "'$*' exited with $rc; last lines of $log:"
		tail -n 15 "$log" >&2
		return 1
	fi
}

# rate FILE: execs_done / (last_update - start_time)
rate() {
	e=$(getstat "$1" execs_done)
	a=$(getstat "$1" start_time)
	b=$(getstat "$1" last_update)
	awk -v e="$e" -v a="$a" -v b="$b" 'BEGIN { if (b > a) printf "%.0f", e / (b - a); else print "NA" }'
}

ratio() {
	awk -v x="$1" -v y="$2" 'BEGIN { if (x + 0 > 0 && y + 0 > 0) printf "%.3f", x / y; else print "NA" }'
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# --- build -------------------------------------------------------------------
rm -rf "$WORK"
mkdir -p "$WORK/bin" "$WORK/seeds"
B=$WORK/bin
H=$HERE/harness.c
say "building into $B"
"$FCC" $CFLAGS -o "$B/ferret-fork" "$H"
"$FCC" $CFLAGS -DPERSISTENT -DLOOP_N="$N" -o "$B/ferret-persistent" "$H"
AFL_QUIET=1 afl-clang-fast $CFLAGS -o "$B/afl-fork" "$H"
AFL_QUIET=1 afl-clang-fast $CFLAGS -DPERSISTENT -DLOOP_N="$N" -o "$B/afl-persistent" "$H"
clang $CFLAGS -o "$B/bare-fork" "$H"
clang $CFLAGS -DPERSISTENT -DLOOP_N="$N" -o "$B/bare-persistent" "$H"
clang $CFLAGS -o "$B/spawn" "$HERE/spawn.c"

# --- seeds (deterministic) ---------------------------------------------------
printf 'FRT1N42;Sx\004trueA\003abc#note\nN-7;' >"$WORK/seeds/s0"
printf 'FRT2Kmode=slow\nKlevel=3\nN123456;S\004null' >"$WORK/seeds/s1"
# shellcheck disable=SC2016
printf 'FRT2Kname=ferret\nA\005\001\002\003\004\005S\005$home#x\n' >"$WORK/seeds/s2"
printf 'FRT1N0;N99;S\005falseC\000' >"$WORK/seeds/s3"
printf 'hello' >"$WORK/seeds/s4"
SEEDS=$(ls "$WORK"/seeds/*)
for f in $SEEDS; do # the harness must not crash on its seeds
	"$B/bare-fork" <"$f" || die "bare-fork fails on $f"
done

# --- fuzzing runs, one at a time ---------------------------------------------
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
unset AFL_BENCH_UNTIL_CRASH
for mode in fork persistent; do
	say "ferret fuzz, $mode mode, ${S}s"
	run_fuzzer "$WORK/ferret-$mode.log" \
		"$FERRET" fuzz -i "$WORK/seeds" -o "$WORK/out-ferret-$mode" -V "$S" -s 1 -- "$B/ferret-$mode"
	say "afl-fuzz, $mode mode, ${S}s"
	run_fuzzer "$WORK/afl-$mode.log" \
		afl-fuzz -i "$WORK/seeds" -o "$WORK/out-afl-$mode" -V "$S" -- "$B/afl-$mode"
done

# --- bare speed --------------------------------------------------------------
say "bare fork+exec, ${BARE_S}s"
# shellcheck disable=SC2086
BARE_FORK=$(timeout $((BARE_S + 30)) "$B/spawn" "$BARE_S" "$B/bare-fork" $SEEDS | awk '{print $3}')
say "bare in-process loop, ${BARE_S}s"
# shellcheck disable=SC2086
BARE_PERSISTENT=$(BENCH_BARE_SECONDS=$BARE_S timeout $((BARE_S + 30)) "$B/bare-persistent" $SEEDS | awk '{print $3}')

# --- report ------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
aflv=$(afl-fuzz -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'afl-fuzz++[0-9][^ ]*' | head -n 1)
clangv=$(clang --version | head -n 1)
ferretv=$("$FERRET" --version 2>/dev/null | head -n 1)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi

echo
echo "machine: $(nproc) cores, $cpu, Linux $(uname -r); load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $ferretv ($rev), $aflv, $clangv"
echo "runs: ${S}s per fuzzer per mode, -O2, persistent N=$N, bare ${BARE_S}s, seeds: $(echo "$SEEDS" | wc -w) files"
echo
printf '%-11s %12s %12s %12s %13s %12s\n' mode "ferret/s" "AFL++/s" "bare/s" "ferret/AFL++" "ferret/bare"
for mode in fork persistent; do
	fs=$WORK/out-ferret-$mode/default/fuzzer_stats
	as=$WORK/out-afl-$mode/default/fuzzer_stats
	[ -f "$fs" ] || die "no $fs"
	[ -f "$as" ] || die "no $as"
	fr=$(rate "$fs")
	ar=$(rate "$as")
	if [ $mode = fork ]; then br=$BARE_FORK; else br=$BARE_PERSISTENT; fi
	printf '%-11s %12s %12s %12s %13s %12s\n' $mode "$fr" "$ar" "$br" "$(ratio "$fr" "$ar")" "$(ratio "$fr" "$br")"
done
echo
echo "edges found (each fuzzer counts its own way: compare within a column, not across)"
printf '%-11s %18s %18s %28s\n' mode "ferret edges/total" "AFL++ edges/total" "target_mode ferret | AFL++"
for mode in fork persistent; do
	fs=$WORK/out-ferret-$mode/default/fuzzer_stats
	as=$WORK/out-afl-$mode/default/fuzzer_stats
	printf '%-11s %18s %18s   %s | %s\n' $mode \
		"$(getstat "$fs" edges_found)/$(getstat "$fs" total_edges)" \
		"$(getstat "$as" edges_found)/$(getstat "$as" total_edges)" \
		"$(getstat "$fs" target_mode)" "$(getstat "$as" target_mode)"
done
echo
echo "bare fork = fork+exec+wait of the uninstrumented build per input (bench/spawn.c);"
echo "bare persistent = parse() called in-process in a loop (harness.c without a fuzzer)."
echo "outputs: $WORK"
