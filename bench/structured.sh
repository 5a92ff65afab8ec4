#!/bin/sh
# structured.sh EXAMPLE - structured vs byte-level fuzzing on the planted bug
# of examples/EXAMPLE, one of:
#   deque   an element lost when the ring buffer grows while wrapped
#   lease   a late ACK taken after a NAK while RENEWING (a message order)
# The same bug is hunted five ways, one run at a time:
#   test      the FERRET_TEST (EXAMPLE_matches_model), ferret-cc --fuzzer:
#             ./EXAMPLE_test --fuzz EXAMPLE_matches_model -seed=S (value-level mutation)
#   fbytes    bench/EXAMPLE_bytes.c (raw bytes decoded FuzzedDataProvider-style
#             into the operations the test draws, the same model check)
#             under ferret's libFuzzer mode, ferret-cc -fsanitize=fuzzer
#   fbytes0   the same, with -len_control=0 (no slow growth of the length
#             limit)
#   lfbytes   the same harness under real libFuzzer, clang -fsanitize=fuzzer
#   lfbridge  the FERRET_TEST under real libFuzzer through FERRET_BYTE_BRIDGE
#             (bench/EXAMPLE_bridge.c, linked with libferret-smith.a)
# For each: found/REPS within the limits, median executions and seconds to
# the bug, and the ratio of the test's median executions to the best byte
# harness's. Then each runs for a fixed time on the fixed example (the bug
# removed) and the corpus files are counted. See bench/README.md.
# bench/deque.sh is `structured.sh deque`, with DEQUE_* for the STRUCT_* names below.
#
# Environment:
#   STRUCT_REPS            runs per approach, seeds 1..REPS (default 5)
#   STRUCT_LIMIT           seconds per run before giving up (default 120)
#   STRUCT_RUNS            executions per run before giving up (-runs=, default 100000000)
#   STRUCT_CORPUS_SECONDS  length of the corpus-size runs on the fixed example
#                          (default 30; 0 skips them)
#   STRUCT_BRIDGE          1 (default): include the lfbridge approach; 0: skip it
#   STRUCT_WORK            scratch directory (default bench/work/EXAMPLE, wiped first)
#   FERRET_BUILD           ferret build directory (default build)
set -eu

X=${1:-}
case $X in
deque | lease) ;;
*)
	echo "usage: $0 deque|lease" >&2
	exit 2
	;;
esac
REPS=${STRUCT_REPS:-5}
LIMIT=${STRUCT_LIMIT:-120}
RUNS=${STRUCT_RUNS:-100000000}
CSECS=${STRUCT_CORPUS_SECONDS:-30}
BRIDGE=${STRUCT_BRIDGE:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${STRUCT_WORK:-$HERE/work/$X}
FERRET=$BUILD/bin/ferret
FCC=$BUILD/bin/ferret-cc
SMITH=$BUILD/lib/libferret-smith.a
EX=$ROOT/examples/$X
TEST=${X}_matches_model
CFLAGS="-O1 -g"

say() { echo "$X: $*" >&2; }
die() {
	say "$*"
	exit 1
}

for v in "$REPS" "$LIMIT" "$RUNS" "$CSECS"; do
	case $v in '' | *[!0-9]*) die "STRUCT_REPS, STRUCT_LIMIT, STRUCT_RUNS and STRUCT_CORPUS_SECONDS must be whole numbers" ;; esac
done
[ "$REPS" -gt 0 ] || die "STRUCT_REPS must be positive"
[ "$LIMIT" -gt 0 ] || die "STRUCT_LIMIT must be positive"
[ "$RUNS" -gt 0 ] || die "STRUCT_RUNS must be positive"
case $BRIDGE in 0 | 1) ;; *) die "STRUCT_BRIDGE must be 0 or 1" ;; esac
APPROACHES="test fbytes fbytes0 lfbytes"
[ "$BRIDGE" = 0 ] || APPROACHES="$APPROACHES lfbridge"
BYTES="fbytes fbytes0 lfbytes" # the byte harnesses the ratio compares with

# --- prerequisites -------------------------------------------------------------
command -v clang >/dev/null 2>&1 || "$ROOT/scripts/install-deps.sh" clang
if [ ! -x "$FERRET" ] || [ ! -x "$FCC" ] || [ ! -f "$SMITH" ]; then make -C "$ROOT" all >&2; fi
for t in clang perl timeout date awk sed; do
	command -v $t >/dev/null 2>&1 || die "$t not found"
done

# --- one run: its own session under timeout, output time-stamped --------------
# The runner (perl, for a sub-millisecond clock) starts CMD in a new session
# under `timeout -k 5 GUARD`, copies its output to LOG and notes when the
# first "ERROR: libFuzzer" line (the crash report; ferret prints the same
# line) arrives. ferret's test driver goes on to shrink the failing input
# after that line, so the stamp, not the exit, is the time to the bug. It
# writes "EXIT WALL BUG" to RES (BUG "-" when no report came) and kills the
# session afterwards, and on INT/TERM.
# shellcheck disable=SC2016 # perl code, not for the shell to expand
RUNNER='
use strict; use warnings; use POSIX (); use Time::HiRes qw(time);
my ($log, $res, $guard, @cmd) = @ARGV;
my $t0 = time;
pipe(my $r, my $w) or die "pipe: $!";
my $pid = fork;
defined $pid or die "fork: $!";
if (!$pid) {
	close $r;
	POSIX::setsid();
	open(STDOUT, ">&", $w) or POSIX::_exit(127);
	open(STDERR, ">&", $w) or POSIX::_exit(127);
	exec("timeout", "-k", "5", $guard, @cmd) or POSIX::_exit(127);
}
close $w;
$SIG{INT} = $SIG{TERM} = sub { kill("KILL", -$pid); exit 130 };
open(my $l, ">", $log) or die "$log: $!";
my $bug = "-";
while (my $line = <$r>) {
	$bug = sprintf("%.3f", time - $t0) if $bug eq "-" && $line =~ /ERROR: libFuzzer/;
	print $l $line;
}
waitpid($pid, 0);
my $st = $?;
my $wall = sprintf("%.3f", time - $t0);
kill("KILL", -$pid);
my $rc = ($st & 127) ? 128 + ($st & 127) : $st >> 8;
open(my $o, ">", $res) or die "$res: $!";
print $o "$rc $wall $bug\n";
'
B=$WORK/bin
. "$(dirname "$0")/lib.sh"

# run DIR GUARD CMD...: runs CMD in DIR; sets RC, WALL and BUG (see RUNNER)
run() {
	dir=$1
	guard=$2
	shift 2
	(cd "$dir" && perl -e "$RUNNER" log res "$guard" "$@") || true
	[ -s "$dir/res" ] || die "no result from the run in $dir"
	read -r RC WALL BUG <"$dir/res"
	reap_strays "the run in $dir"
	[ "$RC" -ne 124 ] || say "warning: the run in $dir hit its ${guard}s safety timeout"
}

# --- build ---------------------------------------------------------------------
rm -rf "$WORK"
mkdir -p "$B" "$WORK/runs" "$WORK/corpus-runs"
say "building into $B"
# the fixed example. deque: the bug's "if" and its "rest--" line deleted
# (deleting only the rest-- line would make the if guard the memcpy after it:
# another bug); lease: lease.c with -DLEASE_FIXED (the NAK clears the xid)
case $X in
deque)
	sed '/if (rest && d->head >= 2)/,/rest--;/d' "$EX/deque.c" >"$WORK/deque_fixed.c"
	[ "$(grep -c 'rest--' "$WORK/deque_fixed.c")" -eq 0 ] || die "could not remove the bug from deque.c"
	FIXED_C=$WORK/deque_fixed.c
	FIXED_FLAGS=
	;;
lease)
	grep -q '^#ifdef LEASE_FIXED' "$EX/lease.c" || die "lease.c has no LEASE_FIXED"
	FIXED_C=$EX/lease.c
	FIXED_FLAGS=-DLEASE_FIXED
	;;
esac
# every build also links structured_count.c, which counts executions (calls
# of EXAMPLE_init) up to the first abort() in the file named by
# STRUCT_COUNT_FILE
UX=$(echo "$X" | tr '[:lower:]' '[:upper:]')
COUNT="-DCOUNT_$UX $HERE/structured_count.c -Wl,--wrap=${X}_init -Wl,--wrap=abort"
build() { # build VARIANT EXAMPLE_C [FLAGS]: the binaries, named VARIANT-APPROACH
	v=$1
	src=$2
	fl="$CFLAGS ${3:-}"
	# shellcheck disable=SC2086
	"$FCC" --fuzzer $fl -I "$EX" -o "$B/$v-test" "$EX/${X}_test.c" "$src" $COUNT
	# shellcheck disable=SC2086
	"$FCC" -fsanitize=fuzzer $fl -I "$EX" -o "$B/$v-fbytes" "$HERE/${X}_bytes.c" "$src" $COUNT
	# shellcheck disable=SC2086
	clang -fsanitize=fuzzer $fl -I "$EX" -o "$B/$v-lfbytes" "$HERE/${X}_bytes.c" "$src" $COUNT
	if [ "$BRIDGE" = 1 ]; then
		# shellcheck disable=SC2086
		clang -fsanitize=fuzzer $fl -I "$ROOT/include" -I "$EX" -o "$B/$v-lfbridge" \
			"$HERE/${X}_bridge.c" "$src" "$SMITH" $COUNT
	fi
}
build bug "$EX/$X.c"
build fixed "$FIXED_C" "$FIXED_FLAGS"

# check the byte harness on a known input: the bug build must abort, the
# fixed build must not
case $X in
deque)
	# 1 push_front, then 8 push_back; the ninth push grows the full, wrapped
	# buffer with head 7
	{
		printf '\001AAAA'
		for i in 1 2 3 4 5 6 7 8; do printf '\000BBBB'; done
	} >"$WORK/known-bug"
	;;
lease)
	# seed 1; timer (DISCOVER); OFFER for the latest xid (REQUEST); ACK for
	# it, the address asked for, lease 0 (BOUND, T1 due now); timer
	# (RENEWING, a new xid); NAK for the renewal (INIT); ACK for the
	# renewal: the bug binds
	printf '\001\000\000\000''\000''\001\000AAAA''\002\000\000\000\000\000\000''\000''\003\000''\002\000\000\000\000\000\000' \
		>"$WORK/known-bug"
	;;
esac
for p in fbytes lfbytes; do
	rc=0
	UBSAN_OPTIONS=symbolize=0 "$B/bug-$p" "$WORK/known-bug" >/dev/null 2>&1 || rc=$?
	[ "$rc" -ne 0 ] || die "bug-$p does not fail on the known input"
	"$B/fixed-$p" "$WORK/known-bug" >/dev/null 2>&1 || die "fixed-$p fails on the known input"
done

# binary APPROACH / extra APPROACH: the binary an approach runs (fbytes0
# runs fbytes's) and the flags it adds
binary() { if [ "$1" = fbytes0 ]; then echo fbytes; else echo "$1"; fi; }
extra() { if [ "$1" = fbytes0 ]; then echo -len_control=0; fi; }

# --- one hunt --------------------------------------------------------------------
# first GLOB...: the first existing file of a glob's expansion, or nothing
first() {
	for f in "$@"; do
		[ -f "$f" ] && echo "$f" && return
	done
	true
}
# counted DIR: executions up to and including the first failing one, from
# DIR/count (structured_count.c), or nothing
counted() {
	[ -s "$1/count" ] || return 0
	od -An -tu8 -j8 -N8 "$1/count" | tr -d ' '
}
# hunt APPROACH SEED DIR: sets T (seconds to the crash report, or "inf"), XC
# (executions to the bug by structured_count.c) and E (the engine's own number:
# stat::number_of_executed_units when it prints it at the crash, libFuzzer
# does; otherwise ">=N", the #N of the last status line before the report:
# ferret's driver prints no stats at a crash)
hunt() {
	a=$1
	s=$2
	d=$3
	mkdir -p "$d/corpus"
	flags="-seed=$s -max_total_time=$LIMIT -runs=$RUNS -print_final_stats=1"
	# symbolize=0: no llvm-symbolizer for libFuzzer's stack trace at the crash
	# (as bench/ttfc.sh); ferret prints none
	case $a in
	test)
		# shellcheck disable=SC2086
		run "$d" $((LIMIT + 60)) env STRUCT_COUNT_FILE="$d/count" \
			"$B/bug-test" --fuzz "$TEST" $flags
		crash=$(first "$d/testdata/$TEST"/crash-*)
		;;
	*)
		# shellcheck disable=SC2086
		run "$d" $((LIMIT + 60)) env STRUCT_COUNT_FILE="$d/count" UBSAN_OPTIONS=symbolize=0 \
			"$B/bug-$(binary "$a")" $flags $(extra "$a") corpus/
		crash=$(first "$d"/crash-*)
		;;
	esac
	if [ -n "$crash" ] && [ "$BUG" != - ]; then
		T=$BUG
		XC=$(counted "$d")
		[ -n "$XC" ] && [ "$XC" != 0 ] || XC=-
		E=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | head -n 1)
		if [ -z "$E" ]; then
			E=$(awk '/ERROR: libFuzzer/ { print n; exit } /^#[0-9]+[ \t]/ { n = substr($1, 2) }' "$d/log")
			E=">=${E:-0}"
		fi
	else
		if [ "$RC" -ne 0 ]; then
			say "$a seed $s exited with $RC without a crash; last lines of $d/log:"
			tail -n 15 "$d/log" >&2
			exit 1
		fi
		T=inf
		XC=-
		E=-
	fi
}

# --- all hunts, one at a time: per seed, each approach in turn -------------------
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)
RES=$WORK/runs.tsv
printf 'approach\tseed\tseconds\texecs\tengine_execs\twall\n' >"$RES"
s=1
while [ $s -le "$REPS" ]; do
	for a in $APPROACHES; do
		hunt "$a" "$s" "$WORK/runs/$a-$s"
		say "$a seed $s: $T s to the bug, $XC execs (engine: $E; run $WALL s in all)"
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$a" "$s" "$T" "$XC" "$E" "$WALL" >>"$RES"
	done
	s=$((s + 1))
done

# --- corpus size after CSECS seconds on the fixed $X, seed 1 -------------------
CRES=$WORK/corpus.tsv
printf 'approach\tfiles\texecs\n' >"$CRES"
CORPUS_APPROACHES=$APPROACHES
[ "$CSECS" -gt 0 ] || CORPUS_APPROACHES=
for a in $CORPUS_APPROACHES; do
	d=$WORK/corpus-runs/$a
	mkdir -p "$d/corpus"
	flags="-seed=1 -max_total_time=$CSECS -runs=$RUNS -print_final_stats=1"
	case $a in
	test)
		# shellcheck disable=SC2086
		run "$d" $((CSECS + 60)) "$B/fixed-test" --fuzz "$TEST" $flags
		cdir=$d/testdata/$TEST
		;;
	*)
		# shellcheck disable=SC2086
		run "$d" $((CSECS + 60)) "$B/fixed-$(binary "$a")" $flags $(extra "$a") corpus/
		cdir=$d/corpus
		;;
	esac
	[ "$RC" -eq 0 ] || die "$a on the fixed $X exited with $RC (see $d/log)"
	n=0
	for f in "$cdir"/*; do
		case ${f##*/} in crash-*) ;; *) [ -f "$f" ] && n=$((n + 1)) ;; esac
	done
	x=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | head -n 1)
	say "$a on the fixed $X: $n corpus files after ${CSECS}s, ${x:-?} execs"
	printf '%s\t%s\t%s\n' "$a" "$n" "${x:--}" >>"$CRES"
done
TOTAL=$(($(date +%s) - START))
[ -z "$(strays)" ] || die "processes left running: $(strays | tr '\n' ' ')"

# --- report ------------------------------------------------------------------------
# median FIELD APPROACH: median of column FIELD (3 = seconds, 4 = execs,
# 5 = the engine's execs) over
# the runs; a run without the bug counts as larger than any value; an even
# count averages the middle two. Execs marked ">=" stay marked.
median() {
	awk -F'\t' -v f="$1" -v z="$2" '
		NR > 1 && $1 == z {
			x = $f
			if (x ~ /^>=/) { lb = 1; x = substr(x, 3) }
			v[n++] = (x == "inf" || x == "-") ? 1e300 : x + 0
		}
		END {
			if (!n) { print "-"; exit }
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] >= 1e300 || v[n / 2] >= 1e300 ? 1e300 : (v[n / 2 - 1] + v[n / 2]) / 2)
			if (m >= 1e300) print (f == 3 ? "inf" : "-")
			else if (f == 3) printf "%.3f\n", m
			else printf "%s%.0f\n", lb ? ">=" : "", m
		}' "$RES"
}
found() {
	awk -F'\t' -v z="$1" 'NR > 1 && $1 == z { n++; if ($3 != "inf") k++ } END { printf "%d/%d", k, n }' "$RES"
}
label() {
	case $1 in
	test) echo "ferret FERRET_TEST (values)" ;;
	fbytes) echo "ferret libFuzzer mode (bytes)" ;;
	fbytes0) echo "  the same, -len_control=0" ;;
	lfbytes) echo "libFuzzer (bytes)" ;;
	lfbridge) echo "libFuzzer + byte bridge" ;;
	esac
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
clangv=$(clang --version | head -n 1)
ferretv=$("$FERRET" --version 2>/dev/null | head -n 1)
rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC') (machine clock)"
echo "machine: $(nproc) cores, $cpu, Linux $(uname -r); load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $ferretv ($rev), libFuzzer of $clangv"
echo "example: examples/$X; runs: $REPS per approach (seeds 1..$REPS), limit ${LIMIT}s and $RUNS executions, $CFLAGS, empty corpus, one run at a time, ${TOTAL}s in all"
echo
printf '%-30s %6s %12s %13s %9s %12s\n' approach found "median execs" "engine execs" "median s" "corpus@${CSECS}s"
for a in $APPROACHES; do
	ms=$(median 3 "$a")
	[ "$ms" != inf ] || ms=">$LIMIT"
	c=$(awk -F'\t' -v z="$a" 'NR > 1 && $1 == z { print $2 }' "$CRES")
	printf '%-30s %6s %12s %13s %9s %12s\n' "$(label "$a")" "$(found "$a")" "$(median 4 "$a")" \
		"$(median 5 "$a")" "$ms" "$c"
done
echo
best=
for a in $BYTES; do
	m=$(median 4 "$a")
	case $m in '' | -* | *[!0-9]*) continue ;; esac
	if [ -z "$best" ] || [ "$m" -lt "$best" ]; then
		best=$m
		besta=$a
	fi
done
mt=$(median 4 test)
case $mt in '' | -* | *[!0-9]*) mt= ;; esac
if [ -n "$best" ] && [ -n "$mt" ]; then
	echo "ratio: FERRET_TEST / best byte harness ($besta) = $mt / $best = $(awk -v a="$mt" -v b="$best" 'BEGIN { printf "%.2f", a / b }')"
else
	echo "ratio: - (FERRET_TEST median ${mt:--}, best byte harness median ${best:--})"
fi
echo
echo "median execs: executions up to the failing one, counted in the target (structured_count.c:"
echo "calls of ${X}_init before the first abort), the same way for every engine."
echo "engine execs: the engine's own count, stat::number_of_executed_units at the crash"
echo "(libFuzzer), or >=N, the #N of the last status line before the crash report (ferret"
echo "prints no stats at a crash). median s: start of the process to its crash report."
if [ "$CSECS" -gt 0 ]; then
	echo "corpus@${CSECS}s: corpus files after ${CSECS}s on the fixed $X, seed 1 (the test's"
	echo "testdata/$TEST, the others' corpus/); executions in those runs:"
	echo "  $(awk -F'\t' 'NR > 1 { printf "%s%s %s", sep, $1, $3; sep = ", " }' "$CRES")"
else
	echo "corpus@0s: not measured (STRUCT_CORPUS_SECONDS=0)"
fi
echo "every run: $RES, $CRES; logs: $WORK/runs, $WORK/corpus-runs"
