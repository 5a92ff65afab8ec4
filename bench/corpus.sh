#!/bin/sh
# corpus.sh - corpus size for the same run: ferret's libFuzzer mode and
# libFuzzer on each bench/ttfc_*.c target with its planted bug made
# harmless (-DTTFC_NO_CRASH: the branch stays, nothing aborts), so both run
# exactly the same number of executions from the same seed file, whatever
# they find. ttfc.sh measures the corpus when a run stops, which for an early
# crash is after a few hundred executions against a peer's hundred thousand;
# here the budget is equal. Prints, per target and fuzzer, the median files,
# bytes and features (ft: of the final line) over seeds 1..REPS, and whether
# ferret's median bytes are at most libFuzzer's. See bench/README.md.
#
# Environment:
#   CORPUS_RUNS     executions per run (default 1000000)
#   CORPUS_REPS     runs per (target, fuzzer), seeds 1..REPS (default 3)
#   CORPUS_TARGETS  targets (default: every bench/ttfc_*.c)
#   CORPUS_WORK     scratch directory (default bench/work/corpus, wiped first)
#   FERRET_BUILD    ferret build directory (default build)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
RUNS=${CORPUS_RUNS:-1000000}
REPS=${CORPUS_REPS:-3}
TARGETS=${CORPUS_TARGETS:-$(for f in "$HERE"/ttfc_*.c; do
	t=${f##*/ttfc_}
	echo "${t%.c}"
done | tr '\n' ' ')}
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${CORPUS_WORK:-$HERE/work/corpus}
B=$WORK/bin
CFLAGS="-O2"
GUARD=600 # seconds, a safety net per run

say() { echo "corpus: $*" >&2; }
die() {
	say "$*"
	exit 1
}
. "$HERE/lib.sh"

case $RUNS in '' | *[!0-9]*) die "CORPUS_RUNS must be a whole number" ;; esac
case $REPS in '' | *[!0-9]*) die "CORPUS_REPS must be a positive whole number" ;; esac
[ "$REPS" -gt 0 ] || die "CORPUS_REPS must be positive"
command -v clang >/dev/null 2>&1 || "$ROOT/scripts/install-deps.sh" clang
[ -x "$BUILD/bin/ferret-cc" ] || make -C "$ROOT" >/dev/null
for t in $TARGETS; do
	[ -f "$HERE/ttfc_$t.c" ] || die "unknown target '$t' (no bench/ttfc_$t.c)"
done

rm -rf "$WORK"
mkdir -p "$B" "$WORK/runs"
for t in $TARGETS; do
	src=$HERE/ttfc_$t.c
	clang $CFLAGS -DTTFC_SAMPLE -o "$B/sample-$t" "$src"
	"$B/sample-$t" seed >"$WORK/seed-$t"
	"$BUILD/bin/ferret-cc" $CFLAGS -fsanitize=fuzzer -DTTFC_LIBFUZZER -DTTFC_NO_CRASH \
		-o "$B/ferret-lf-$t" "$src"
	clang $CFLAGS -fsanitize=fuzzer -DTTFC_LIBFUZZER -DTTFC_NO_CRASH -o "$B/libfuzzer-$t" "$src"
done

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

say "$RUNS executions per run, seeds 1..$REPS, $(echo $TARGETS | wc -w) targets"
date -u '+date: %Y-%m-%d %H:%M UTC'
echo "versions: ferret $(git -C "$(dirname "$BUILD")" rev-parse --short HEAD 2>/dev/null || echo '?') ($BUILD), $(clang --version | head -n 1)"
printf '%-13s %-10s %6s %9s %6s %s\n' target fuzzer files bytes ft "runs that stopped early"
worse=
for t in $TARGETS; do
	for fz in ferret-lf libfuzzer; do
		: >"$WORK/runs/$t-$fz.tsv"
		early=
		for s in $(seq 1 "$REPS"); do
			d=$WORK/runs/$t-$fz-$s
			mkdir -p "$d/corpus"
			cp "$WORK/seed-$t" "$d/corpus/seed"
			(cd "$d" && exec setsid timeout -s KILL "$GUARD" "$B/$fz-$t" -seed="$s" \
				-runs="$RUNS" corpus >out.log 2>err.log) &
			CUR=$!
			wait "$CUR" || true
			CUR=
			reap_strays "$fz $t"
			files=$(find "$d/corpus" -maxdepth 1 -type f ! -name '.*' | wc -l)
			bytes=$(find "$d/corpus" -maxdepth 1 -type f ! -name '.*' -printf '%s\n' |
				awk '{ s += $1 } END { print s + 0 }')
			ft=$(grep -a '^#[0-9]' "$d/err.log" | sed -n 's/.* ft: \([0-9]*\) .*/\1/p' | tail -n 1)
			grep -aq "^#$RUNS[[:space:]]*DONE" "$d/err.log" || early="$early s$s"
			printf '%s\t%s\t%s\n' "$files" "$bytes" "${ft:-0}" >>"$WORK/runs/$t-$fz.tsv"
		done
		f=$(cut -f1 "$WORK/runs/$t-$fz.tsv" | median)
		b=$(cut -f2 "$WORK/runs/$t-$fz.tsv" | median)
		ft=$(cut -f3 "$WORK/runs/$t-$fz.tsv" | median)
		printf '%-13s %-10s %6s %9s %6s %s\n' "$t" "$fz" "$f" "$b" "$ft" "${early:-}"
		if [ "$fz" = ferret-lf ]; then fb=$b; else lb=$b; fi
	done
	[ "$fb" -le "$lb" ] || worse="$worse $t"
done
echo "median bytes, ferret-lf above libFuzzer's on:${worse:- none}"
echo "every run: $WORK/runs (err.log: the fuzzer's output; *.tsv: files, bytes, ft per seed)"
