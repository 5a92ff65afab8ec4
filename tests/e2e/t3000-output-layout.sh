#!/bin/sh
# t3000: the output directory has AFL's layout: out/default/{queue,crashes,
# hangs}, fuzzer_stats with AFL's keys in its "key<padded to 18>: value"
# format, plot_data opening with its "# relative_time, ..." header, and
# cmdline; no temporary (dot) files are left in queue/, crashes/, hangs/.
. "$(dirname "$0")/lib.sh"

build crash crash_first_a.c
seeds in 0 zz
"$FERRET" fuzz -i in -o out -s 1 -E 5000 -- ./crash 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
d=out/default
for sub in queue crashes hangs; do
	[ -d $d/$sub ] || fail "no directory $d/$sub"
	dots=$(ls -A $d/$sub | grep '^\.' || true)
	assert_eq "" "$dots" "dot files left in $d/$sub"
done
tmps=$(ls -A $d | grep '\.tmp$' || true)
assert_eq "" "$tmps" "temporary files left in $d"
[ "$(count_files $d/queue)" -ge 2 ] || fail "queue holds fewer entries than the 2 seeds"
[ "$(count_files $d/crashes)" -ge 1 ] || fail "no crash saved (needed to check crashes/)"

stats=$d/fuzzer_stats
[ -s $stats ] || fail "no $stats"
# every line is a key padded to 18 columns, then ": ", then a value
bad=$(grep -Env '^[a-z_]+ *: ' $stats | head -n 3 || true)
assert_eq "" "$bad" "fuzzer_stats lines not in 'key : value' form"
bad=$(grep -Evn '^.{18}: ' $stats | head -n 3 || true)
assert_eq "" "$bad" "fuzzer_stats keys not padded to 18 columns"
for key in start_time last_update run_time fuzzer_pid cycles_done execs_done \
	execs_per_sec corpus_count saved_crashes saved_hangs edges_found total_edges \
	stability bitmap_cvg command_line; do
	assert_eq 1 "$(grep -c "^$key  *: " $stats)" "lines with key $key in fuzzer_stats"
done
# values of the right shape
for key in start_time last_update run_time fuzzer_pid cycles_done execs_done \
	corpus_count saved_crashes saved_hangs edges_found total_edges; do
	assert_grep "^$key  *: [0-9]+\$" $stats
done
assert_grep '^execs_per_sec  *: [0-9]+\.[0-9]{2}$' $stats
assert_grep '^stability  *: [0-9]+\.[0-9]{2}%$' $stats
assert_grep '^bitmap_cvg  *: [0-9]+\.[0-9]{2}%$' $stats
assert_grep '^execs_done        : 5000$' $stats
assert_grep "^saved_crashes     : $(count_files $d/crashes)\$" $stats
assert_grep "^corpus_count      : $(count_files $d/queue)\$" $stats
assert_grep '^command_line      : .*-E 5000 -- \./crash$' $stats
start=$(stat_value $d start_time)
last=$(stat_value $d last_update)
[ "$start" -le "$last" ] || fail "start_time $start after last_update $last"

[ -s $d/plot_data ] || fail "no $d/plot_data"
assert_eq "# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found, unique_bugs" \
	"$(head -n 1 $d/plot_data)" "plot_data header"
[ "$(wc -l <$d/plot_data)" -ge 2 ] || fail "plot_data has no data row"

[ -s $d/cmdline ] || fail "no $d/cmdline"
assert_eq "./crash" "$(cat $d/cmdline)" "cmdline"
