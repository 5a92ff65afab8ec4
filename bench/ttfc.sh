#!/bin/sh
# ttfc.sh - time to first crash on planted bugs, for ferret (ferret fuzz on
# the persistent build, and ferret's libFuzzer mode), libFuzzer and AFL++
# persistent with CmpLog. Each bench/ttfc_*.c target crashes on one planted
# bug only and carries its own seed (the fuzzers' starting corpus) and a known
# answer (ttfc.h). Every fuzzer runs on every target once per random seed
# 1..REPS, until its first crash or the limit, strictly one run at a time;
# the wall clock of each run (start-up included) is measured here, and the
# corpus is measured at the end of the run. See bench/README.md.
#
# Environment:
#   TTFC_LIMIT     seconds per run before giving up (default 600)
#   TTFC_REPS      runs per (target, fuzzer), with seeds 1..REPS (default 3)
#   TTFC_TARGETS   targets to run (default: every bench/ttfc_*.c)
#   TTFC_FUZZERS   fuzzers to run (default: ferret ferret-lf libfuzzer afl)
#   TTFC_AFL_MAIN  AFL++'s main binary: cmplog (default: the AFL_LLVM_CMPLOG build,
#                  also given to -c) or plain (afl-clang-fast build, -c the cmplog
#                  build: AFL++ 4.04c then never runs the cmplog binary, see README)
#   TTFC_WORK      scratch directory (default bench/work/ttfc, wiped first)
#   FERRET_BUILD   ferret build directory (default build)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
ALL_TARGETS=$(for f in "$HERE"/ttfc_*.c; do
	t=${f##*/ttfc_}
	echo "${t%.c}"
done | tr '\n' ' ')
LIMIT=${TTFC_LIMIT:-600}
REPS=${TTFC_REPS:-3}
TARGETS=${TTFC_TARGETS:-$ALL_TARGETS}
FUZZERS=${TTFC_FUZZERS:-ferret ferret-lf libfuzzer afl}
AFL_MAIN=${TTFC_AFL_MAIN:-cmplog}
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${TTFC_WORK:-$HERE/work/ttfc}
FERRET=$BUILD/bin/ferret
FCC=$BUILD/bin/ferret-cc
CFLAGS="-O2"
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
for fz in $FUZZERS; do
	case $fz in ferret | ferret-lf | libfuzzer | afl) ;; *) die "unknown fuzzer '$fz' (ferret, ferret-lf, libfuzzer, afl)" ;; esac
done
wants() {
	case " $FUZZERS " in *" $1 "*) return 0 ;; esac
	return 1
}

# --- prerequisites -----------------------------------------------------------
if wants afl && { ! command -v afl-fuzz >/dev/null 2>&1 || ! command -v afl-clang-fast >/dev/null 2>&1; }; then
	"$ROOT/scripts/install-deps.sh" afl++ afl++-clang
fi
command -v clang >/dev/null 2>&1 || "$ROOT/scripts/install-deps.sh" clang
if [ ! -x "$FERRET" ] || [ ! -x "$FCC" ]; then make -C "$ROOT" all >&2; fi
for t in clang timeout setsid date awk find; do
	command -v $t >/dev/null 2>&1 || die "$t not found"
done
if wants afl; then
	for t in afl-fuzz afl-clang-fast; do command -v $t >/dev/null 2>&1 || die "$t not found"; done
fi

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

# --- build: per target, the builds the chosen fuzzers need, plus the sample
# writer; then its seed and answer, checked against every build -------------
rm -rf "$WORK"
mkdir -p "$B" "$WORK/seeds" "$WORK/runs"
say "building into $B"
for t in $TARGETS; do
	src=$HERE/ttfc_$t.c
	clang $CFLAGS -DTTFC_SAMPLE -o "$B/sample-$t" "$src"
	if wants ferret; then "$FCC" $CFLAGS -DTTFC_PERSISTENT -o "$B/ferret-$t" "$src"; fi
	if wants ferret-lf; then "$FCC" $CFLAGS -fsanitize=fuzzer -DTTFC_LIBFUZZER -o "$B/ferretlf-$t" "$src"; fi
	if wants libfuzzer; then clang $CFLAGS -fsanitize=fuzzer -DTTFC_LIBFUZZER -o "$B/libfuzzer-$t" "$src"; fi
	if wants afl; then
		AFL_QUIET=1 afl-clang-fast $CFLAGS -DTTFC_PERSISTENT -o "$B/afl-$t" "$src"
		AFL_QUIET=1 AFL_LLVM_CMPLOG=1 afl-clang-fast $CFLAGS -DTTFC_PERSISTENT -o "$B/afl-$t.cmplog" "$src"
	fi

	mkdir -p "$WORK/seeds/$t"
	"$B/sample-$t" seed >"$WORK/seeds/$t/seed"
	"$B/sample-$t" answer >"$WORK/answer-$t"
	stdin_builds=
	if wants ferret; then stdin_builds="ferret-$t"; fi
	if wants afl; then stdin_builds="$stdin_builds afl-$t afl-$t.cmplog"; fi
	for p in $stdin_builds; do
		"$B/$p" <"$WORK/seeds/$t/seed" || die "$p fails on its seed"
		rc=0
		"$B/$p" <"$WORK/answer-$t" 2>/dev/null || rc=$?
		[ "$rc" -gt 128 ] || die "$p does not crash on its answer (exit $rc)"
	done
	for p in ferretlf libfuzzer; do
		[ -x "$B/$p-$t" ] || continue
		"$B/$p-$t" "$WORK/seeds/$t/seed" >/dev/null 2>&1 || die "$p-$t fails on its seed"
		rc=0
		UBSAN_OPTIONS=symbolize=0 "$B/$p-$t" "$WORK/answer-$t" >/dev/null 2>&1 || rc=$?
		[ "$rc" -ne 0 ] || die "$p-$t does not crash on its answer"
	done
done

# --- one run -------------------------------------------------------------------
crash_of() { # crash_of DIR PREFIX: the first file PREFIX* in DIR, or nothing
	for f in "$1/$2"*; do
		case ${f##*/} in README.txt) continue ;; esac
		[ -f "$f" ] && echo "$f" && return
	done
	true
}
# corpus_of DIR: sets CF and CB, the files and bytes of the corpus in DIR
# (regular files, no dot-names), or "-" when there is no DIR
corpus_of() {
	CF=-
	CB=-
	[ -d "$1" ] || return 0
	CF=$(find "$1" -maxdepth 1 -type f ! -name '.*' | wc -l)
	CB=$(find "$1" -maxdepth 1 -type f ! -name '.*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
}

# run_one FUZZER TARGET DIR SEED: sets T (wall seconds, or "inf" when no crash
# was found), X (executions up to the crash as the fuzzer counts them, or "-"),
# CF and CB (corpus files and bytes at the end) and STOP (how the run ended:
# crash, limit, or what else it left).
run_one() {
	fz=$1
	t=$2
	d=$3
	s=$4
	mkdir -p "$d"
	case $fz in
	ferret)
		timed "$d/log" "$FERRET" fuzz -i "$WORK/seeds/$t" -o "$d/out" -C -s "$s" -V "$LIMIT" -- "$B/ferret-$t"
		c=$(crash_of "$d/out/default/crashes" id:)
		x=$(echo "${c##*/}" | sed -n 's/.*,execs:\([0-9]*\).*/\1/p')
		corpus=$d/out/default/queue
		;;
	afl)
		if [ "$AFL_MAIN" = cmplog ]; then main=$B/afl-$t.cmplog; else main=$B/afl-$t; fi
		waited=0
		while :; do
			rm -rf "$d/out"
			timed "$d/log" env AFL_BENCH_UNTIL_CRASH=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 \
				AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
				afl-fuzz -i "$WORK/seeds/$t" -o "$d/out" -c "$B/afl-$t.cmplog" -s "$s" \
				-V "$LIMIT" -- "$main"
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
		corpus=$d/out/default/queue
		;;
	ferret-lf | libfuzzer)
		if [ "$fz" = libfuzzer ]; then prog=$B/libfuzzer-$t; else prog=$B/ferretlf-$t; fi
		mkdir -p "$d/corpus" "$d/artifacts"
		cp "$WORK/seeds/$t/seed" "$d/corpus/"
		# symbolize=0: no llvm-symbolizer for the crash's stack trace (about
		# 65 ms here, and it outlives libFuzzer as a zombie); ferret and AFL++
		# print no stack trace either
		timed "$d/log" env UBSAN_OPTIONS=symbolize=0 \
			"$prog" -seed="$s" -max_total_time="$LIMIT" -print_final_stats=1 \
			-artifact_prefix="$d/artifacts/" "$d/corpus"
		c=$(crash_of "$d/artifacts" crash-)
		x=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | head -n 1)
		# ferret's driver prints no stats after a crash: its last status line
		# ("#N ...") is the count, a lower bound
		[ -n "$x" ] || x=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$d/log" | tail -n 1)
		corpus=$d/corpus
		;;
	esac
	corpus_of "$corpus"
	if [ -n "$c" ]; then
		T=$WALL
		X=${x:--}
		STOP=crash
	else
		T=inf
		X=-
		STOP=limit
		if [ "$RC" -ne 0 ]; then
			# not the planted bug: an out-of-memory, a timeout, a fuzzer
			# error; counted as not found, named in the table
			other=$(find "$d/artifacts" -type f -name '*-*' 2>/dev/null | sed 's|.*/||; s/-.*//' | head -n 1)
			if [ -d "$d/out/default/hangs" ] && [ -n "$(crash_of "$d/out/default/hangs" id:)" ]; then
				other=hang
			fi
			STOP="exit$RC${other:+:$other}"
			say "$fz on $t (seed $s) stopped with exit $RC and no crash; last lines of $d/log:"
			tail -n 5 "$d/log" >&2
		fi
	fi
}

# --- all runs, one at a time: per target and seed, the fuzzers in turn --------
nt=$(echo "$TARGETS" | wc -w)
nf=$(echo "$FUZZERS" | wc -w)
say "$((nt * nf * REPS)) runs of at most ${LIMIT}s: at most $((nt * nf * REPS * (LIMIT + 3) / 60)) min"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(now)
RES=$WORK/runs.tsv
printf 'target\tfuzzer\tseed\tseconds\texecs\tfiles\tbytes\tstop\n' >"$RES"
for t in $TARGETS; do
	s=1
	while [ $s -le "$REPS" ]; do
		for fz in $FUZZERS; do
			run_one "$fz" "$t" "$WORK/runs/$t-$fz-$s" "$s"
			say "$t $fz seed $s: $T s, $X execs, corpus $CF files $CB bytes, $STOP"
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$fz" "$s" "$T" "$X" "$CF" "$CB" "$STOP" >>"$RES"
		done
		s=$((s + 1))
	done
done
TOTAL=$(awk -v a="$START" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
[ -z "$(strays)" ] || die "processes left running: $(strays | tr '\n' ' ')"

# --- report ----------------------------------------------------------------------
# stat HOW FIELD TARGET FUZZER: the median (HOW=med) or the largest (HOW=max)
# of column FIELD (4 seconds, 5 execs, 6 files, 7 bytes) over the runs; "inf"
# counts as larger than any time; an even count averages the middle two.
stat() {
	awk -F'\t' -v how="$1" -v f="$2" -v t="$3" -v z="$4" '
		NR > 1 && $1 == t && $2 == z && $f != "-" {
			v[n++] = $f == "inf" ? 1e300 : $f + 0 }
		END {
			if (!n) { print "-"; exit }
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && v[j - 1] > v[j]; j--) { x = v[j]; v[j] = v[j - 1]; v[j - 1] = x }
			if (how == "max") m = v[n - 1]
			else m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] >= 1e300 || v[n / 2] >= 1e300 ? 1e300 : (v[n / 2 - 1] + v[n / 2]) / 2)
			if (m >= 1e300) print "inf"; else if (f == 4) printf "%.3f\n", m; else printf "%.0f\n", m
		}' "$RES"
}
found() {
	awk -F'\t' -v t="$1" -v z="$2" 'NR > 1 && $1 == t && $2 == z { n++; if ($4 != "inf") k++ } END { printf "%d/%d", k, n }' "$RES"
}
# other: the ways runs of this pair ended other than crash or limit
other() {
	awk -F'\t' -v t="$1" -v z="$2" 'NR > 1 && $1 == t && $2 == z && $8 != "crash" && $8 != "limit" { s = s (s ? "," : "") $8 } END { print s }' "$RES"
}
show() { # a time for the table
	if [ "$1" = inf ]; then echo ">$LIMIT"; else echo "$1"; fi
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
aflv=$(afl-fuzz -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'afl-fuzz++[0-9][^ ]*' | head -n 1 || true)
clangv=$(clang --version | head -n 1)
ferretv=$("$FERRET" --version 2>/dev/null | head -n 1)
# the revision of the sources FERRET_BUILD was built from (a worktree's, when
# it is one)
rev=$(git -C "$BUILD" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$BUILD" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi
if [ "$AFL_MAIN" = cmplog ]; then aflmain="prog.cmplog"; else aflmain="prog"; fi

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M') UTC (machine clock)"
echo "machine: $(nproc) cores, $cpu, Linux $(uname -r); load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $ferretv ($rev, $BUILD), ${aflv:-no afl-fuzz}, $clangv (libFuzzer)"
echo "runs: limit ${LIMIT}s, seeds 1..$REPS per pair, -O2, each target's own seed file, one run at a time, ${TOTAL}s in all"
echo "fuzzers: ferret = ferret fuzz -C -s S (FERRET_LOOP build) | ferret-lf = ferret-cc -fsanitize=fuzzer, -seed=S"
echo "         libfuzzer = clang -fsanitize=fuzzer, -seed=S | afl = afl-fuzz -s S -c prog.cmplog -- $aflmain (__AFL_LOOP builds), AFL_BENCH_UNTIL_CRASH=1"
echo
echo "median seconds to first crash (wall clock, start-up included; >$LIMIT = not found), found/runs"
printf '%-13s' target
for fz in $FUZZERS; do printf ' %17s' "$fz"; done
echo
for t in $TARGETS; do
	printf '%-13s' "$t"
	for fz in $FUZZERS; do
		printf ' %17s' "$(show "$(stat med 4 "$t" "$fz")") $(found "$t" "$fz")"
	done
	echo
done
echo
echo "per target and fuzzer: median and worst time, median executions to the crash, median corpus at the end"
printf '%-13s %-10s %5s %9s %9s %10s %7s %9s  %s\n' target fuzzer found "median s" "worst s" execs files "corpus B" other
for t in $TARGETS; do
	for fz in $FUZZERS; do
		printf '%-13s %-10s %5s %9s %9s %10s %7s %9s  %s\n' "$t" "$fz" "$(found "$t" "$fz")" \
			"$(show "$(stat med 4 "$t" "$fz")")" "$(show "$(stat max 4 "$t" "$fz")")" \
			"$(stat med 5 "$t" "$fz")" "$(stat med 6 "$t" "$fz")" "$(stat med 7 "$t" "$fz")" \
			"$(other "$t" "$fz")"
	done
done
echo
echo "execs: of the runs that crashed, as each fuzzer counts (ferret, AFL++: execs: in the crash's"
echo "name; libFuzzer: stat::number_of_executed_units; ferret-lf: its last #N line, a lower bound)."
echo "corpus: files and bytes in the corpus when the run ended (ferret, AFL++: out/default/queue;"
echo "libFuzzer, ferret-lf: the corpus directory), seed included, whether it crashed or not."
echo "every run: $RES; logs and outputs: $WORK/runs"
