#!/bin/sh
# ttfc.sh - time to first crash on compare-heavy targets, for ferret (compare
# feedback), AFL++ with cmplog and libFuzzer. Each bench/ttfc_*.c target
# crashes only on one exact value behind an integer compare, strcmp, memcmp
# or switch; every fuzzer starts from the same one-file seed corpus and stops
# at its first crash. Runs are strictly one at a time; the wall clock of each
# run (start-up included) is measured here. See bench/README.md.
#
# Environment:
#   TTFC_LIMIT     seconds per run before giving up (default 60)
#   TTFC_REPS      runs per (target, fuzzer) pair; the median is reported (default 3)
#   TTFC_TARGETS   targets to run (default: magic32 magic64 strcmp memcmp16 switch32 chain)
#   TTFC_AFL_MAIN  AFL++'s main binary: cmplog (default: the AFL_LLVM_CMPLOG build,
#                  also given to -c) or plain (afl-clang-fast build, -c the cmplog
#                  build: AFL++ 4.04c then never runs the cmplog binary, see README)
#   TTFC_WORK      scratch directory (default bench/work/ttfc, wiped first)
#   FERRET_BUILD   ferret build directory (default build)
set -eu

LIMIT=${TTFC_LIMIT:-60}
REPS=${TTFC_REPS:-3}
TARGETS=${TTFC_TARGETS:-magic32 magic64 strcmp memcmp16 switch32 chain}
AFL_MAIN=${TTFC_AFL_MAIN:-cmplog}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${TTFC_WORK:-$HERE/work/ttfc}
FERRET=$BUILD/bin/ferret
FCC=$BUILD/bin/ferret-cc
CFLAGS="-O2"
FUZZERS="ferret afl libfuzzer"
GUARD=$((LIMIT + 60)) # timeout safety net per run
CPU_WAIT=120          # seconds to wait for a free CPU when afl-fuzz finds none

say() { echo "ttfc: $*" >&2; }
die() {
	say "$*"
	exit 1
}

case $LIMIT in '' | *[!0-9]*) die "TTFC_LIMIT must be a whole number of seconds" ;; esac
case $REPS in '' | *[!0-9]*) die "TTFC_REPS must be a positive whole number" ;; esac
[ "$LIMIT" -gt 0 ] || die "TTFC_LIMIT must be positive"
[ "$REPS" -gt 0 ] || die "TTFC_REPS must be positive"
case $AFL_MAIN in cmplog | plain) ;; *) die "TTFC_AFL_MAIN must be cmplog or plain" ;; esac
for t in $TARGETS; do
	[ -f "$HERE/ttfc_$t.c" ] || die "unknown target '$t' (no bench/ttfc_$t.c)"
done

# --- prerequisites -----------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1 || ! command -v afl-clang-fast >/dev/null 2>&1; then
	"$ROOT/scripts/install-deps.sh" afl++ afl++-clang
fi
command -v clang >/dev/null 2>&1 || "$ROOT/scripts/install-deps.sh" clang
if [ ! -x "$FERRET" ] || [ ! -x "$FCC" ]; then make -C "$ROOT" all >&2; fi
for t in afl-fuzz afl-clang-fast clang timeout setsid date awk; do
	command -v $t >/dev/null 2>&1 || die "$t not found"
done

# --- process hygiene: bench/lib.sh ---------------------------------------------
B=$WORK/bin
. "$(dirname "$0")/lib.sh"

now() { date +%s.%N; }

# timed LOG CMD...: runs CMD under timeout in a new session, output to LOG;
# sets RC and WALL (seconds, measured around the whole run).
timed() {
	log=$1
	shift
	t0=$(now)
	setsid timeout -k 5 "$GUARD" "$@" >"$log" 2>&1 &
	CUR=$!
	RC=0
	wait "$CUR" || RC=$?
	t1=$(now)
	WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	left=$(ps -o pid= -s "$CUR" 2>/dev/null | wc -l)
	[ "$left" -eq 0 ] || say "warning: $left process(es) left in the session of '$1', killing them"
	cleanup
	reap_strays "'$1'"
	[ "$RC" -ne 124 ] || say "warning: '$1' hit the ${GUARD}s safety timeout"
}

# --- build -------------------------------------------------------------------
rm -rf "$WORK"
mkdir -p "$B" "$WORK/seeds" "$WORK/runs"
say "building into $B"
for t in $TARGETS; do
	src=$HERE/ttfc_$t.c
	"$FCC" $CFLAGS -o "$B/ferret-$t" "$src"
	AFL_QUIET=1 afl-clang-fast $CFLAGS -o "$B/afl-$t" "$src"
	AFL_QUIET=1 AFL_LLVM_CMPLOG=1 afl-clang-fast $CFLAGS -o "$B/afl-$t.cmplog" "$src"
	clang $CFLAGS -fsanitize=fuzzer -DTTFC_LIBFUZZER -o "$B/libfuzzer-$t" "$src"
done

# --- seed: one small file, the same for every fuzzer and target ---------------
SEED=$WORK/seeds/seed
printf 'seed: 0123456789abcdef\n' >"$SEED"

# The answer of each target, to check the builds: the seed must not crash,
# the answer must.
answer() {
	case $1 in
	magic32) printf 'seed\345\221\072\174' ;;
	magic64) printf 'seed\013\066\267\244\054\215\036\137' ;;
	strcmp) printf 'ferret-bench-kw\n' ;;
	memcmp16) printf 'seed\074\247\031\342\130\015\264\157\221\056\305\172\003\330\146\273' ;;
	switch32) printf 'seed\262\323\304\131' ;;
	chain) printf '\223\017\153\055chain-keyword' ;;
	*) return 1 ;;
	esac
}
for t in $TARGETS; do
	for p in "ferret-$t" "afl-$t" "afl-$t.cmplog"; do
		"$B/$p" <"$SEED" || die "$p fails on the seed"
		answer "$t" >"$WORK/answer-$t"
		rc=0
		"$B/$p" <"$WORK/answer-$t" 2>/dev/null || rc=$?
		[ "$rc" -gt 128 ] || die "$p does not crash on its answer (exit $rc)"
	done
	"$B/libfuzzer-$t" "$SEED" >/dev/null 2>&1 || die "libfuzzer-$t fails on the seed"
done

# --- one run -------------------------------------------------------------------
# run_one FUZZER TARGET DIR: sets T (wall seconds, or "inf" when no crash was
# found) and X (executions up to the crash as the fuzzer counts them, or "-").
crash_of() { # crash_of DIR PREFIX: the first file PREFIX* in DIR, or nothing
	for f in "$1/$2"*; do
		case ${f##*/} in README.txt) continue ;; esac
		[ -f "$f" ] && echo "$f" && return
	done
	true
}
run_one() {
	fz=$1
	t=$2
	d=$3
	mkdir -p "$d"
	case $fz in
	ferret)
		timed "$d/log" "$FERRET" fuzz -i "$WORK/seeds" -o "$d/out" -C -V "$LIMIT" -- "$B/ferret-$t"
		c=$(crash_of "$d/out/default/crashes" id:)
		x=$(echo "${c##*/}" | sed -n 's/.*,execs:\([0-9]*\).*/\1/p')
		;;
	afl)
		if [ "$AFL_MAIN" = cmplog ]; then main=$B/afl-$t.cmplog; else main=$B/afl-$t; fi
		waited=0
		while :; do
			rm -rf "$d/out"
			timed "$d/log" env AFL_BENCH_UNTIL_CRASH=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 \
				AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
				afl-fuzz -i "$WORK/seeds" -o "$d/out" -c "$B/afl-$t.cmplog" -V "$LIMIT" -- "$main"
			grep -q 'No more free CPU cores' "$d/log" || break
			# another fuzzer on this machine holds every CPU: wait, do not
			# measure afl-fuzz unbound against a bound ferret
			[ $waited -lt $CPU_WAIT ] || die "afl-fuzz found no free CPU for ${CPU_WAIT}s (see $d/log)"
			say "afl-fuzz: no free CPU, waiting"
			sleep 5
			waited=$((waited + 5))
		done
		c=$(crash_of "$d/out/default/crashes" id:)
		x=$(echo "${c##*/}" | sed -n 's/.*,execs:\([0-9]*\).*/\1/p')
		;;
	libfuzzer)
		mkdir -p "$d/corpus" "$d/artifacts"
		cp "$SEED" "$d/corpus/"
		# symbolize=0: no llvm-symbolizer for the crash's stack trace (about
		# 65 ms here, and it outlives libFuzzer as a zombie); ferret and AFL++
		# print no stack trace either
		timed "$d/log" env UBSAN_OPTIONS=symbolize=0 \
			"$B/libfuzzer-$t" -max_total_time="$LIMIT" -print_final_stats=1 \
			-artifact_prefix="$d/artifacts/" "$d/corpus"
		c=$(crash_of "$d/artifacts" crash-)
		x=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | head -n 1)
		;;
	esac
	if [ -n "$c" ]; then
		T=$WALL
		X=${x:--}
	else
		# no crash: the run must have ended normally at the limit
		if [ "$RC" -ne 0 ]; then
			say "$fz on $t exited with $RC without a crash; last lines of $d/log:"
			tail -n 15 "$d/log" >&2
			exit 1
		fi
		T=inf
		X=-
	fi
}

# --- all runs, one at a time: for each target and repetition, the three fuzzers
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(now)
RES=$WORK/runs.tsv
printf 'target\tfuzzer\trep\tseconds\texecs\n' >"$RES"
for t in $TARGETS; do
	r=1
	while [ $r -le "$REPS" ]; do
		for fz in $FUZZERS; do
			run_one "$fz" "$t" "$WORK/runs/$t-$fz-$r"
			say "$t $fz run $r/$REPS: $T s, $X execs"
			printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$fz" "$r" "$T" "$X" >>"$RES"
		done
		r=$((r + 1))
	done
done
TOTAL=$(awk -v a="$START" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
[ -z "$(strays)" ] || die "processes left running: $(strays | tr '\n' ' ')"

# --- report ----------------------------------------------------------------------
# median FIELD TARGET FUZZER: median of column FIELD (4 = seconds, 5 = execs);
# "inf" counts as larger than any time; an even count averages the middle two.
median() {
	awk -F'\t' -v f="$1" -v t="$2" -v z="$3" '
		NR > 1 && $1 == t && $2 == z { v[n++] = ($f == "inf" || $f == "-") ? 1e300 : $f + 0 }
		END {
			if (!n) { print "-"; exit }
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
			m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] >= 1e300 || v[n / 2] >= 1e300 ? 1e300 : (v[n / 2 - 1] + v[n / 2]) / 2)
			if (m >= 1e300) print (f == 4 ? "inf" : "-"); else if (f == 4) printf "%.3f\n", m; else printf "%.0f\n", m
		}' "$RES"
}
found() {
	awk -F'\t' -v t="$1" -v z="$2" 'NR > 1 && $1 == t && $2 == z { n++; if ($4 != "inf") k++ } END { printf "%d/%d", k, n }' "$RES"
}
show() { # a median time for the table
	if [ "$1" = inf ]; then echo ">$LIMIT"; else echo "$1"; fi
}
# ratio OTHER FERRET: how many times faster ferret is
ratio() {
	awk -v o="$1" -v f="$2" -v l="$LIMIT" 'BEGIN {
		if (o != "inf" && f != "inf") printf "%.1f", o / f
		else if (o == "inf" && f != "inf") print "inf"
		else if (o != "inf" && f == "inf") printf "<%.2f", o / l
		else print "n/a" }'
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
aflv=$(afl-fuzz -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'afl-fuzz++[0-9][^ ]*' | head -n 1)
clangv=$(clang --version | head -n 1)
ferretv=$("$FERRET" --version 2>/dev/null | head -n 1)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi
if [ "$AFL_MAIN" = cmplog ]; then aflcmd="afl-fuzz -c prog.cmplog -- prog.cmplog"; else aflcmd="afl-fuzz -c prog.cmplog -- prog"; fi

echo
echo "machine: $(nproc) cores, $cpu, Linux $(uname -r); load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $ferretv ($rev), $aflv, $clangv"
echo "runs: limit ${LIMIT}s, $REPS per pair, -O2, one seed file ($(wc -c <"$SEED") bytes), one run at a time, ${TOTAL}s in all"
echo "fuzzers: ferret fuzz -C | $aflcmd, AFL_BENCH_UNTIL_CRASH=1 | libFuzzer -max_total_time, UBSAN_OPTIONS=symbolize=0"
echo
echo "median seconds to first crash (wall clock, start-up included; >$LIMIT = not found)"
printf '%-10s %9s %13s %11s %13s %16s\n' target "ferret s" "AFL++cmplog s" "libFuzzer s" "AFL++/ferret" "libFuzzer/ferret"
for t in $TARGETS; do
	mf=$(median 4 "$t" ferret)
	ma=$(median 4 "$t" afl)
	ml=$(median 4 "$t" libfuzzer)
	printf '%-10s %9s %13s %11s %13s %16s\n' "$t" "$(show "$mf")" "$(show "$ma")" "$(show "$ml")" \
		"$(ratio "$ma" "$mf")" "$(ratio "$ml" "$mf")"
done
echo
echo "found/runs and median executions to the crash (each fuzzer counts its own way)"
printf '%-10s %8s %10s %8s %10s %8s %10s\n' target ferret execs AFL++ execs libFuzzer execs
for t in $TARGETS; do
	printf '%-10s %8s %10s %8s %10s %8s %10s\n' "$t" \
		"$(found "$t" ferret)" "$(median 5 "$t" ferret)" \
		"$(found "$t" afl)" "$(median 5 "$t" afl)" \
		"$(found "$t" libfuzzer)" "$(median 5 "$t" libfuzzer)"
done
echo
echo "ratios: AFL++/ferret = AFL++ time over ferret time (how many times faster ferret is);"
echo "inf = only ferret found it, <x = only the other did (bound from the limit), n/a = neither."
echo "every run: $RES; logs and outputs: $WORK/runs"
