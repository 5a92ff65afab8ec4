#!/bin/sh
# t5014: libFuzzer mode's leak check (a second run of an input that
# allocated more than it freed, under ASan) leaves the input judged by its
# first run: the counters both runs touched are put back as the first run
# left them, the second run's own are cleared, from the touch list
# (driver/worker.c, leak_confirmed). tests/targets/lf_hoard.c keeps a
# block per input starting with 'H' (never a leak: it stays reachable), so
# nearly every such input is run twice. Three runs from the same seed and
# an empty corpus, -runs=4000 each: -detect_leaks=1 (the default), the
# same with FERRET_WHOLE_MAP=1 (the whole map saved and put back), and
# -detect_leaks=0 (no second run at all) must leave the same corpus. The
# second run is called from deeper in the stack: before the stack's lowest
# point was put back too, it gave its input a stack-depth feature the
# first run did not have, and the corpora differed (at 9b86469 too).
# Measured when written: about 6 s with the ASan build, 10 entries.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e/determinism.sh"

"$FCC" -O1 -g -fsanitize=fuzzer,address -o hoard "$TARGETS/lf_hoard.c"

for r in leaks whole noleaks; do
	mkdir -p "$r/corpus"
	flags=
	wm=
	case $r in
	whole) wm=FERRET_WHOLE_MAP=1 ;;
	noleaks) flags=-detect_leaks=0 ;;
	esac
	rc=0
	(cd "$r" && env $wm ../hoard -seed=1 -runs=4000 $flags corpus >out.log 2>err.log) || rc=$?
	[ "$rc" -eq 0 ] || { tail -n 5 "$r/err.log" >&2; fail "$r: exit status $rc"; }
	grep -q '^Done 4000 runs' "$r/err.log" || fail "$r: $(grep '^Done' "$r/err.log")"
done
det_same "corpus with leak checks, touch list against whole map" leaks/corpus whole/corpus '*' 4 ||
	fail "the leak check's counters differ with FERRET_WHOLE_MAP=1"
det_same "corpus with leak checks against without" leaks/corpus noleaks/corpus '*' 4 ||
	fail "the leak check's second run changed what was kept"
