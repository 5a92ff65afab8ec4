#!/bin/sh
# t4000: `ferret showmap` prints different maps for two inputs that take
# different paths (stdout and -o agree); `ferret run` with several files
# prints one "FILE: ok: exit 0" / "FILE: crash: signal 11 (SIGSEGV)" line
# per file and exits 1 when any crashed, 0 when none did, in both argument
# forms `ferret run FILE... -- PROG` and `ferret run -- PROG @@ FILE...`;
# a libFuzzer-style harness's exit 77 is a crash.
. "$(dirname "$0")/lib.sh"

build crash crash_first_a.c
printf 'A' >crash1
printf 'Axyz' >crash2
printf 'B' >ok1
printf 'hello' >ok2

# showmap: "EDGE:COUNT" lines; the crashing and the clean input differ
"$FERRET" showmap ok1 -- ./crash >map-ok.txt 2>showmap.err ||
	{ cat showmap.err >&2; fail "showmap of a clean input exited $?"; }
[ -s map-ok.txt ] || fail "empty map for a clean input"
bad=$(grep -Ev '^[0-9]+:[0-9]+$' map-ok.txt | head -n 3 || true)
assert_eq "" "$bad" "showmap lines not in EDGE:COUNT form"
assert_grep '^ferret: [0-9]+ edges hit$' showmap.err
"$FERRET" showmap -o map-ok-o.txt ok1 -- ./crash 2>/dev/null
assert_eq "$(cat map-ok.txt)" "$(cat map-ok-o.txt)" "showmap to stdout and to -o"
rc=0
"$FERRET" showmap crash1 -- ./crash >map-crash.txt 2>/dev/null || rc=$?
assert_ne 0 "$rc" "showmap exit status on a crashing input"
[ -s map-crash.txt ] || fail "empty map for the crashing input"
assert_ne "$(cat map-ok.txt)" "$(cat map-crash.txt)" "maps of 'B' and 'A'"
# same path, same map
"$FERRET" showmap ok2 -- ./crash >map-ok2.txt 2>/dev/null
assert_eq "$(cat map-ok.txt)" "$(cat map-ok2.txt)" "maps of 'B' and 'hello'"

# no_stderr FILE WHAT: ferret run printed nothing on stderr (the target
# prints nothing, so anything there is ferret's)
no_stderr() {
	[ ! -s "$1" ] || { head -n 3 "$1" >&2; fail "$2: unexpected stderr ($(wc -l <"$1") lines)"; }
}

# run, files before the program (stdin delivery)
rc=0
"$FERRET" run ok1 crash1 ok2 crash2 -- ./crash >run1.out 2>run1.err || rc=$?
assert_eq "ok1: ok: exit 0
crash1: crash: signal 11 (SIGSEGV)
ok2: ok: exit 0
crash2: crash: signal 11 (SIGSEGV)" "$(cat run1.out)" "ferret run FILE... -- PROG"
no_stderr run1.err "ferret run FILE... -- PROG"
assert_eq 1 "$rc" "exit status of ferret run FILE... -- PROG with crashes"
rc=0
"$FERRET" run ok1 ok2 -- ./crash >run2.out 2>run2.err || rc=$?
assert_eq "ok1: ok: exit 0
ok2: ok: exit 0" "$(cat run2.out)" "ferret run FILE... -- PROG on clean inputs"
no_stderr run2.err "ferret run FILE... -- PROG on clean inputs"
assert_eq 0 "$rc" "exit status of ferret run FILE... -- PROG on clean inputs"

# run, files after the program with @@ (file delivery)
rc=0
"$FERRET" run -- ./crash @@ crash1 ok1 ok2 >run3.out 2>run3.err || rc=$?
assert_eq "crash1: crash: signal 11 (SIGSEGV)
ok1: ok: exit 0
ok2: ok: exit 0" "$(cat run3.out)" "ferret run -- PROG @@ FILE..."
no_stderr run3.err "ferret run -- PROG @@ FILE..."
assert_eq 1 "$rc" "exit status of ferret run -- PROG @@ FILE... with a crash"
rc=0
"$FERRET" run -- ./crash @@ ok2 ok1 >run4.out 2>run4.err || rc=$?
assert_eq "ok2: ok: exit 0
ok1: ok: exit 0" "$(cat run4.out)" "ferret run -- PROG @@ FILE... on clean inputs"
no_stderr run4.err "ferret run -- PROG @@ FILE... on clean inputs"
assert_eq 0 "$rc" "exit status of ferret run -- PROG @@ FILE... on clean inputs"

# A libFuzzer-style harness: its inputs go as file arguments (@@ added when
# missing: on stdin it would fuzz) and its driver's exit 77 is a crash, not
# "ok" (before: "ok: exit 77").
"$FCC" -O1 -fsanitize=fuzzer -o lfbug "$TARGETS/lf_bug.c"
printf 'xxBUGxx' >bug.in
printf 'fine' >ok.in
rc=0
"$FERRET" run -- ./lfbug -- bug.in ok.in >lf.out 2>lf.err || rc=$?
assert_eq 1 "$rc" "exit status of run with a crashing harness input"
assert_grep '^bug\.in: crash: exit 77 \(libFuzzer-style harness\)$' lf.out
assert_grep '^ok\.in: ok: exit 0$' lf.out
