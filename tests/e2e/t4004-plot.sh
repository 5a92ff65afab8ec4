#!/bin/sh
# t4004: `ferret plot` (issue 12) draws plot_data as one SVG. From a short
# real run (OUT alone names its one instance; saved as OUT/default/plot.svg)
# and from hand-written AFL++ and old-AFL files (columns found by name):
# the SVG parses as XML, names the instance and its panels, and has one
# polyline per column present with one point per data row; the same
# plot_data gives the same bytes. Bad input is one error line, exit 1.
. "$(dirname "$0")/lib.sh"

# svg_summary FILE: "title: ...", "panel: ...", "COLUMN POINTS" lines
svg_summary() {
	python3 - "$1" <<'PY'
import sys, xml.dom.minidom as md
d = md.parse(sys.argv[1])
for t in d.getElementsByTagName("text"):
    c = t.getAttribute("class")
    if c in ("title", "panel-title"):
        print("%s: %s" % (c, t.firstChild.data))
for p in d.getElementsByTagName("polyline"):
    print(p.getAttribute("data-column"), len(p.getAttribute("points").split()))
PY
}

# rows FILE: the data rows of a plot_data
rows() {
	grep -cv '^#' "$1"
}

build crash crash_first_a.c
seeds in 0 zz
"$FERRET" fuzz -i in -o out -s 1 -E 1000 --no-ui -- ./crash 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
n=$(rows out/default/plot_data)
[ "$n" -ge 2 ] || fail "plot_data has $n data rows, expected at least 2"
"$FERRET" plot out >plot.out 2>plot.err || { cat plot.err >&2; fail "ferret plot out failed"; }
assert_eq "plot saved: out/default/plot.svg" "$(cat plot.out)" "ferret plot's output"
svg_summary out/default/plot.svg >real.txt || fail "out/default/plot.svg is not XML"
assert_eq "title: ferret: out/default
panel-title: queue
panel-title: coverage
panel-title: crashes and hangs
panel-title: executions per second
corpus_count $n
pending_total $n
pending_favs $n
edges_found $n
saved_crashes $n
saved_hangs $n
unique_bugs $n
execs_per_sec $n" "$(cat real.txt)" "summary of the real run's plot"

# AFL++'s header (no unique_bugs), with OUT/NAME and -o
mkdir -p afl/fuzzer01
cat >afl/fuzzer01/plot_data <<'PD'
# relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs, map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found
0, 0, 0, 12, 12, 4, 1.20%, 0, 0, 1, 1500.00, 100, 80
300, 1, 10, 40, 30, 8, 2.50%, 1, 0, 3, 2400.50, 700000, 150
900, 3, 22, 85, 50, 6, 3.10%, 4, 1, 5, 2210.00, 2100000, 210
1800, 5, 60, 120, 41, 2, 3.60%, 4, 2, 7, 2305.25, 4200000, 260
3700, 9, 90, 131, 10, 0, 3.70%, 7, 2, 8, 2290.75, 8600000, 270
PD
"$FERRET" plot afl/fuzzer01 -o afl.svg >/dev/null || fail "ferret plot of AFL++'s plot_data failed"
svg_summary afl.svg >afl.txt || fail "afl.svg is not XML"
assert_eq "title: ferret: afl/fuzzer01
panel-title: queue
panel-title: coverage
panel-title: crashes and hangs
panel-title: executions per second
corpus_count 5
pending_total 5
pending_favs 5
edges_found 5
saved_crashes 5
saved_hangs 5
execs_per_sec 5" "$(cat afl.txt)" "summary of AFL++'s plot"
assert_grep '>1:00<' afl.svg # an h:mm tick
[ ! -e afl/fuzzer01/plot.svg ] || fail "-o also wrote afl/fuzzer01/plot.svg"
"$FERRET" plot afl/fuzzer01 -o again.svg >/dev/null || fail "second ferret plot failed"
cmp -s afl.svg again.svg || fail "the same plot_data gave two different pictures"

# old AFL: unix_time, paths_total, unique_crashes; map coverage, no edges
mkdir -p old
printf '%s\n' '# unix_time, cycles_done, cur_path, paths_total, pending_total, pending_favs, map_size, unique_crashes, unique_hangs, max_depth, execs_per_sec' \
	'1500000000, 0, 0, 3, 3, 1, 0.10%, 0, 0, 1, 800.00' \
	'1500000060, 1, 2, 9, 4, 1, 0.35%, 1, 0, 2, 850.00' \
	'1500000120, 2, 5, 11, 2, 0, 0.42%, 2, 1, 3, 900.00' >old/plot_data
"$FERRET" plot old >/dev/null || fail "ferret plot of old AFL's plot_data failed"
svg_summary old/plot.svg >old.txt || fail "old/plot.svg is not XML"
assert_eq "corpus_count 3 pending_total 3 pending_favs 3 map_size 3 saved_crashes 3 saved_hangs 3 execs_per_sec 3" \
	"$(grep -v : old.txt | tr '\n' ' ' | sed 's/ $//')" "polylines of old AFL's plot"
assert_grep '>120s<' old/plot.svg # times relative to the first row

# bad input: one line on stderr, exit 1
bad() {
	what=$1
	shift
	if "$FERRET" plot "$@" >bad.out 2>bad.err; then fail "ferret plot $* ($what) succeeded"; fi
	assert_eq 1 "$(wc -l <bad.err)" "stderr lines for $what"
	assert_grep '^ferret: ' bad.err
}
mkdir -p g/empty g/text g/norows g/word two/a two/b
: >g/empty/plot_data
echo 'hello, world' >g/text/plot_data
echo '# relative_time, corpus_count' >g/norows/plot_data
printf '# relative_time, corpus_count\n0, 1\n5, x\n' >g/word/plot_data
cp g/word/plot_data two/a/plot_data
cp g/word/plot_data two/b/plot_data
bad "a missing directory" nope
bad "an empty plot_data" g/empty
bad "no header" g/text
assert_grep "line 1: not a plot_data header" bad.err
bad "no data rows" g/norows
bad "a garbled row" g/word
assert_grep "line 3: 'x' is not a number" bad.err
bad "two instances" two
bad "no operand"
