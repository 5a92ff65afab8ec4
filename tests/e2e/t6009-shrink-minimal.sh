#!/bin/sh
# t6009: shrinking reaches the minimal failing example on every seed
# (issue 13, "Shrinking to a local minimum"). tests/targets/smith_shrink.c
# has two bugs whose minimal examples are known: list_large fails on a list
# with an element >= 1000 (minimal: the list [1000], i.e. eos false, 1000,
# eos true) and rle_codec on a run of 4 or more equal values (minimal: four
# zeros); two_sites has two assertions on one value, and a failure of the
# second (v >= 700) must shrink to 700, not slip to the first's 10..499
# (the shrinker keeps the assertion site). For seeds 1..5 each is fuzzed (bounded by -runs) into its own
# --dir; exactly one crash file is left, named by its sha1, its path is the
# one printed ("failing input saved as"), the shrinker was not capped, the
# file replays with the same assertion, and `ferret show` of it gives
# exactly the minimal values. Issue 13 saw the old shrinker (halving and
# zeroing only) stop at a run of 5 on 2 of 5 seeds. Measured: 38-44 runs
# per list, 54-89 per run-length example, about 1 s in all.
. "$(dirname "$0")/lib.sh"

"$FCC" --fuzzer -O1 -g -o shrink "$TARGETS/smith_shrink.c"

for t in list_large rle_codec two_sites; do
	case $t in
	list_large) want="0 1000 1" line=$(grep -n 'FERRET_ASSERT(v\[i\] < 1000)' "$TARGETS/smith_shrink.c" | cut -d: -f1) ;;
	rle_codec) want="0 0 0 0 0 0 0 0 1" line=$(grep -n 'FERRET_ASSERT(d == n' "$TARGETS/smith_shrink.c" | cut -d: -f1) ;;
	two_sites) want="700" line=$(grep -n 'FERRET_ASSERT(v < 700)' "$TARGETS/smith_shrink.c" | cut -d: -f1) ;;
	esac
	for seed in 1 2 3 4 5; do
		out=$t.$seed.out
		rc=0
		./shrink --dir "d$seed" --fuzz "$t" -seed="$seed" -runs=100000 >"$out" 2>&1 || rc=$?
		assert_ne 0 "$rc" "exit status of --fuzz $t -seed=$seed (the bug must be found)"
		dir=d$seed/$t
		assert_eq 1 "$(ls "$dir" | grep -c '^crash-' || true)" "crash files in $dir ($(ls "$dir" | tr '\n' ' '))"
		crash=$dir/$(ls "$dir" | grep '^crash-')
		assert_eq "crash-$(sha1sum <"$crash" | cut -d' ' -f1)" "$(basename "$crash")" "crash file named by its sha1"
		assert_grep "failing input saved as $crash\$" "$out"
		assert_grep 'shrunk the failing input from [0-9]+ to [0-9]+ values in [0-9]+ runs$' "$out"
		grep 'shrunk the failing' "$out" # for the log
		rc=0
		./shrink --run "$t" "$crash" >run.out 2>&1 || rc=$?
		assert_ne 0 "$rc" "--run $t on the shrunk file"
		assert_grep "assertion failed: smith_shrink\.c:$line: " run.out
		"$FERRET" show "$crash" >show.out
		got=$(tail -n +2 show.out | awk '{print $3}' | tr '\n' ' ' | sed 's/ $//')
		assert_eq "$want" "$got" "shrunk $t, seed $seed ($(tr '\n' '|' <show.out))"
	done
done
