#!/bin/sh
# t5013: -distill=1 (the default) distills the corpus when a libFuzzer-mode
# run ends by its budget. From one seed and -seed=1, the same run with
# -distill=0 and without: the same executions (Done line and
# stat::number_of_executed_units), and then fewer inputs, files and bytes
# in the corpus, with the same features and coverage (the INITED line of
# -runs=0 over each corpus), the seed file untouched and every other file
# named by its sha1; one INFO line says what it did. -max_total_time
# distills too; a job of -jobs does not (other jobs may rely on its
# files).
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -fsanitize=fuzzer -o harness "$TARGETS/lf_paths.c"

run() { # DIR FLAGS...: fuzz from the seed into DIR
	d=$1
	shift
	mkdir -p "$d"
	printf 'hello' >"$d/seed"
	./harness -seed=1 -print_final_stats=1 "$@" "$d" >"$d.out" 2>"$d.err" ||
		fail "$d: exited non-zero: $(tail -n 3 "$d.err")"
}
run keep -runs=30000 -distill=0
run dist -runs=30000

lf_stat() { # NAME ERR: the value of stat::NAME
	sed -n "s/^stat::$1: *//p" "$2"
}
assert_grep '^Done 30000 runs' keep.err
assert_grep '^Done 30000 runs' dist.err
assert_eq "$(lf_stat number_of_executed_units keep.err)" \
	"$(lf_stat number_of_executed_units dist.err)" "executions with and without -distill"
assert_eq 30000 "$(lf_stat number_of_executed_units dist.err)" "executions of -runs=30000"
assert_no_grep 'distilled' keep.err
assert_grep '^INFO: distilled the corpus: [0-9]+ of [0-9]+ inputs kept \([0-9]+ of [0-9]+ bytes\), every feature kept \([0-9]+ runs\)$' dist.err

corp() { # ERR: entries and bytes of the DONE line ("15 91")
	sed -n 's/^#[0-9]*	DONE .* corp: \([0-9]*\)\/\([0-9]*\)b .*/\1 \2/p' "$1"
}
set -- $(corp keep.err)
keep_n=$1 keep_b=$2
set -- $(corp dist.err)
dist_n=$1 dist_b=$2
[ "$dist_n" -lt "$keep_n" ] || fail "distilled corpus has $dist_n entries, undistilled $keep_n"
[ "$dist_b" -lt "$keep_b" ] || fail "distilled corpus has $dist_b bytes, undistilled $keep_b"
files_keep=$(ls keep | wc -l)
files_dist=$(ls dist | wc -l)
[ "$files_dist" -lt "$files_keep" ] || fail "dist/ has $files_dist files, keep/ $files_keep"
bytes_keep=$(cat keep/* | wc -c)
bytes_dist=$(cat dist/* | wc -c)
[ "$bytes_dist" -lt "$bytes_keep" ] || fail "dist/ has $bytes_dist bytes, keep/ $bytes_keep"
assert_eq hello "$(cat dist/seed)" "the seed file after distilling"
for f in dist/*; do
	[ "$f" = dist/seed ] && continue
	assert_eq "$(basename "$f")" "$(sha1sum <"$f" | cut -d' ' -f1)" "file name vs sha1"
done

inited() { # DIR: cov and ft of the INITED line of -runs=0 DIR
	./harness -runs=0 "$1" >/dev/null 2>"$1.runs0" || fail "-runs=0 $1 exited non-zero"
	sed -n 's/^#[0-9]*	INITED cov: \([0-9]*\) ft: \([0-9]*\) .*/\1 \2/p' "$1.runs0"
}
want=$(inited keep)
[ -n "$want" ] || fail "no INITED line for keep/"
assert_eq "$want" "$(inited dist)" "cov and ft of the corpus, undistilled vs distilled"

# the budget in seconds ends a run too
run timed -max_total_time=1
assert_grep '^INFO: distilled the corpus' timed.err

# a job of -jobs leaves its files
mkdir -p jobs
printf 'hello' >jobs/seed
./harness -seed=1 -runs=30000 -jobs=1 jobs >jobs.out 2>jobs.err || fail "-jobs=1 exited non-zero"
assert_grep '^Done 30000 runs' fuzz-0.log
assert_no_grep 'distilled' fuzz-0.log
assert_eq "$files_keep" "$(ls jobs | wc -l)" "files of a -jobs=1 run vs -distill=0"
