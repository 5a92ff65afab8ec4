#!/bin/sh
# hypothesis.sh - ferret's FERRET_TESTs against Hypothesis on the same
# planted bugs (bench/hypothesis/: deque, lease, large). For each bug and
# seed 1..REPS, one run at a time under timeout:
#   ferret      ./BUG_test --fuzz NAME -seed=S -runs=RUNS, built with
#               ferret-cc --fuzzer and bench/hypothesis/count.c, which counts
#               executions up to the first failing one; the shrunk failure
#               is read back with `ferret show`
#   Hypothesis  bench/hypothesis/run.py BUG S MAX: @given(...) with @seed(S),
#               database=None, derandomize=False, a counter in the test; the
#               shrunk example is the last failing one (Hypothesis's report)
# then prints a table: found/REPS, median executions to the first failure,
# and the shrunk example of seed 1 (and in how many seeds it was the same).
# See bench/README.md, "Against Hypothesis".
#
# Environment:
#   HYP_REPS          seeds 1..REPS per bug and side (default 5)
#   HYP_LIMIT         seconds per run before giving up (default 120)
#   HYP_RUNS          ferret's -runs= bound (default 10000000)
#   HYP_MAX_EXAMPLES  Hypothesis's max_examples (default 1000000)
#   HYP_BUGS          which bugs (default "deque lease large")
#   HYP_WORK          scratch directory (default bench/work/hypothesis, wiped first)
#   FERRET_BUILD      ferret build directory (default build)
set -eu

REPS=${HYP_REPS:-5}
LIMIT=${HYP_LIMIT:-120}
RUNS=${HYP_RUNS:-10000000}
MAXEX=${HYP_MAX_EXAMPLES:-1000000}
BUGS=${HYP_BUGS:-deque lease large}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${HYP_WORK:-$HERE/work/hypothesis}
FERRET=$BUILD/bin/ferret
FCC=$BUILD/bin/ferret-cc
HYP=$HERE/hypothesis
# Debian's python3-hypothesis is for Debian's python3, whatever else PATH has
PY=/usr/bin/python3

say() { echo "hypothesis: $*" >&2; }
die() {
	say "$*"
	exit 1
}
for v in "$REPS" "$LIMIT" "$RUNS" "$MAXEX"; do
	case $v in '' | *[!0-9]*) die "HYP_REPS, HYP_LIMIT, HYP_RUNS and HYP_MAX_EXAMPLES must be whole numbers" ;; esac
done
[ "$REPS" -gt 0 ] && [ "$LIMIT" -gt 0 ] || die "HYP_REPS and HYP_LIMIT must be positive"

# --- prerequisites -------------------------------------------------------------
"$ROOT/scripts/install-deps.sh" python3-hypothesis
"$PY" -c 'import hypothesis' 2>/dev/null || die "$PY cannot import hypothesis"
if [ ! -x "$FERRET" ] || [ ! -x "$FCC" ]; then make -C "$ROOT" all >&2; fi
B=$WORK/bin
GUARD=$LIMIT
. "$HERE/lib.sh"
trap 'cleanup; exit 130' INT TERM

# --- the bugs: ferret test source, test name, extra sources ----------------------
src() {
	case $1 in
	deque) echo "$ROOT/examples/deque/deque_test.c $ROOT/examples/deque/deque.c" ;;
	lease) echo "$ROOT/examples/lease/lease_test.c $ROOT/examples/lease/lease.c" ;;
	large) echo "$HYP/large_test.c" ;;
	*) die "unknown bug '$1' (HYP_BUGS: deque lease large)" ;;
	esac
}
tname() {
	case $1 in
	deque) echo deque_matches_model ;;
	lease) echo lease_matches_model ;;
	large) echo list_has_no_large_element ;;
	esac
}

rm -rf "$WORK"
mkdir -p "$B" "$WORK/runs"
for b in $BUGS; do
	# shellcheck disable=SC2046
	"$FCC" --fuzzer -O1 -g -o "$B/$b" $(src "$b") "$HYP/count.c" \
		-Wl,--wrap=ferret__register -Wl,--wrap=ferret__fail
done

# --- ferret's shrunk failure as one line, in run.py's show() words ----------------
# deque: the op choices (deque_test.c's ferret_range line) and the pushed
# values; lease: the labelled events and replies; large: the elements
render() {
	case $1 in
	deque)
		opl=$(grep -n 'ferret_range(s, 0, 3)' "$ROOT/examples/deque/deque_test.c" | cut -d: -f1)
		awk -v op="deque_test.c:$opl" '
			BEGIN { split("push_back push_front pop_back pop_front", nm) }
			$2 == op { if (pend != "") { printf "%s%s", sep, pend; sep = " " } o = $3; pend = "" ;
				if (o >= 2) { printf "%s%s", sep, nm[o + 1]; sep = " " } else pend = nm[o + 1]; next }
			pend != "" && $2 ~ /^deque_test\.c:/ && $2 != op { printf "%s%s(%s)", sep, pend, $3; sep = " "; pend = "" }
			END { if (pend != "") printf "%s%s", sep, pend; print "" }' "$2"
		;;
	lease)
		awk '
			function flush() { if (w != "") { printf "%s%s", sep, w; sep = " " } w = "" }
			$2 == "event" { flush(); ev = $3; if (ev == 0) w = "timer"; next }
			$2 ~ /\.xid$/ { k = $3; if (ev == 1) w = "offer(xid#" k ")"; if (ev == 3) w = "nak(xid#" k ")"; next }
			$2 == "ack.lease" { w = "ack(xid#" k ",lease=" $3 ")"; next }
			END { flush(); print "" }' "$2"
		;;
	large)
		awk '$2 == "elem" { v = $3 + 0; if (v >= 2147483648) v -= 4294967296; printf "%s%d", sep, v; sep = ", " }
			BEGIN { printf "[" } END { print "]" }' "$2"
		;;
	esac
}

# --- the runs, one at a time -------------------------------------------------------
RES=$WORK/runs.tsv
printf 'bug\tside\tseed\texecs\tseconds\tshrunk\ttried\n' >"$RES"
START=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for b in $BUGS; do
	s=1
	while [ $s -le "$REPS" ]; do
		# ferret
		d=$WORK/runs/ferret-$b-$s
		mkdir -p "$d"
		t0=$(date +%s.%N)
		run_fuzzer "$d/log" env HYP_COUNT_FILE="$d/count" "$B/$b" --fuzz "$(tname "$b")" -seed=$s -runs="$RUNS"
		rc=$RC
		secs=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.2f", $1 - $2 }')
		x=-
		sh=-
		tried=$(od -An -tu8 -N8 "$d/count" 2>/dev/null | tr -d ' ')
		crash=$(ls "$d/testdata/$(tname "$b")"/crash-* 2>/dev/null | head -n 1 || true)
		if [ -n "$crash" ] && [ -s "$d/count" ]; then
			x=$(od -An -tu8 -j8 -N8 "$d/count" | tr -d ' ')
			"$FERRET" show "$crash" >"$d/show.out"
			sh=$(render "$b" "$d/show.out")
		elif [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
			tail -n 15 "$d/log" >&2
			die "ferret $b seed $s exited with $rc without a failure"
		fi
		say "ferret $b seed $s: $x execs, ${secs}s: $sh"
		printf '%s\tferret\t%s\t%s\t%s\t%s\t%s\n' "$b" "$s" "$x" "$secs" "$sh" "${tried:--}" >>"$RES"

		# Hypothesis
		d=$WORK/runs/hypothesis-$b-$s
		mkdir -p "$d"
		t0=$(date +%s.%N)
		run_fuzzer "$d/log" env PYTHONPATH="$HYP" "$PY" -B "$HYP/run.py" "$b" $s "$MAXEX"
		rc=$RC
		secs=$(echo "$(date +%s.%N) $t0" | awk '{ printf "%.2f", $1 - $2 }')
		x=$(sed -n 's/^execs //p' "$d/log" | grep -v '^-$' || true)
		sh=$(sed -n 's/^shrunk //p' "$d/log")
		tried=$(sed -n 's/^calls //p' "$d/log")
		if [ "$rc" -ne 0 ] || [ -z "$x" ]; then
			[ "$rc" -eq 124 ] || { tail -n 15 "$d/log" >&2; die "Hypothesis $b seed $s exited with $rc"; }
			x=-
			sh=-
		fi
		say "Hypothesis $b seed $s: $x execs, ${secs}s: $sh"
		printf '%s\thypothesis\t%s\t%s\t%s\t%s\t%s\n' "$b" "$s" "$x" "$secs" "$sh" "${tried:--}" >>"$RES"
		s=$((s + 1))
	done
done
TOTAL=$(($(date +%s) - START))
[ -z "$(strays)" ] || die "processes left running: $(strays | tr '\n' ' ')"

# --- report ------------------------------------------------------------------------
# median BUG SIDE FIELD: median over seeds (a run without a failure counts as
# larger than any; an even count averages the middle two); a median that
# falls on such a run prints as ">N", N the fewest executions a miss made
median() {
	awk -F'\t' -v b="$1" -v z="$2" -v f="$3" '
		NR > 1 && $1 == b && $2 == z {
			v[n++] = ($4 == "-") ? 1e300 : $f + 0
			if ($4 == "-" && $7 != "-" && (lb == "" || $7 + 0 < lb)) lb = $7 + 0
		}
		END {
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			m = n % 2 ? v[(n - 1) / 2] : (v[n / 2] >= 1e300 ? 1e300 : (v[n / 2 - 1] + v[n / 2]) / 2)
			if (!n) print "-"; else if (m >= 1e300) print (f == 4 && lb != "" ? ">" lb : "-"); else if (f == 5) printf "%.2f\n", m; else printf "%.0f\n", m
		}' "$RES"
}
found() {
	awk -F'\t' -v b="$1" -v z="$2" 'NR > 1 && $1 == b && $2 == z { n++; if ($4 != "-") k++ } END { printf "%d/%d", k, n }' "$RES"
}
# shrunk BUG SIDE: seed 1's shrunk example, and in how many seeds it was the same
shrunk() {
	awk -F'\t' -v b="$1" -v z="$2" '
		NR > 1 && $1 == b && $2 == z { n++; if ($3 == 1) e = $6; s[n] = $6 }
		END { for (i = 1; i <= n; i++) k += s[i] == e; printf "%s  (%d/%d seeds)", e, k, n }' "$RES"
}

rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi
echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC') (machine clock)"
echo "machine: $(nproc) cores, Linux $(uname -r); load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "versions: $("$FERRET" --version 2>/dev/null | head -n 1) ($rev), Hypothesis $("$PY" -c 'import hypothesis; print(hypothesis.__version__)') on Python $("$PY" -c 'import platform; print(platform.python_version())')"
echo "runs: seeds 1..$REPS per bug and side, limit ${LIMIT}s, ferret -runs=$RUNS, Hypothesis max_examples=$MAXEX, one run at a time, ${TOTAL}s in all"
echo
printf '%-6s %-11s %6s %12s %9s  %s\n' bug side found "median execs" "median s" "shrunk example (seed 1)"
for b in $BUGS; do
	for z in ferret hypothesis; do
		printf '%-6s %-11s %6s %12s %9s  %s\n' "$b" "$z" "$(found "$b" "$z")" "$(median "$b" "$z" 4)" \
			"$(median "$b" "$z" 5)" "$(shrunk "$b" "$z")"
	done
done
echo
echo "median execs: runs of the test up to and including the first failing one (ferret:"
echo "bench/hypothesis/count.c; Hypothesis: a counter in the test), shrinking not counted."
echo "median s: the whole run, start-up and shrinking included; a run without a failure"
echo "counts as slower than any (>N: the fewest executions such a run made). every run: $RES"
