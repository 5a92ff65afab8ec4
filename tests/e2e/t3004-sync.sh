#!/bin/sh
# t3004: parallel instances on one -o. A main instance (-M main) runs to
# its -E bound, then a secondary (-S sec) on the same -o imports the main
# queue at start-up: both instance directories exist, only main has the
# is_main_node marker, and the secondary's queue holds entries named
# "...,sync:main,..." that it counts in corpus_imported.
. "$(dirname "$0")/lib.sh"

build classify classify.c
seeds in 'a1
'
"$FERRET" fuzz -i in -o out -M main -s 1 -E 4000 -- ./classify 2>main.log ||
	{ tail -n 5 main.log >&2; fail "main instance exited non-zero"; }
nmain=$(count_files out/main/queue)
[ "$nmain" -ge 2 ] || fail "main found nothing to share ($nmain queue entries)"
[ -e out/main/is_main_node ] || fail "no out/main/is_main_node"

"$FERRET" fuzz -i in -o out -S sec -s 2 -E 2000 -- ./classify 2>sec.log ||
	{ tail -n 5 sec.log >&2; fail "secondary instance exited non-zero"; }
for d in out/main out/sec; do
	for sub in queue crashes hangs; do
		[ -d $d/$sub ] || fail "no directory $d/$sub"
	done
	[ -s $d/fuzzer_stats ] || fail "no $d/fuzzer_stats"
done
[ ! -e out/sec/is_main_node ] || fail "the secondary wrote is_main_node"
ls out/sec/queue >sec-queue.txt
assert_grep '^id:[0-9]{6},sync:main,src:[0-9]{6}' sec-queue.txt
imported=$(grep -c ',sync:main,' sec-queue.txt)
assert_grep "^corpus_imported   : $imported\$" out/sec/fuzzer_stats
