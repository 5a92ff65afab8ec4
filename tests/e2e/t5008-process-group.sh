#!/bin/sh
# t5008: the watcher around libFuzzer-mode children (src/exec/child.c)
# kills whole process groups, and artifacts are written atomically.
# tests/targets/lf_grandchild.c hangs on 'G' after starting a child that
# sleeps (it records "PID PGID"): fuzzing with -timeout=1 reports the
# timeout (exit 70, timeout-<sha1> holding "G"), running the file alone
# reports it too, and -merge=1 skips it and finishes (before the watcher,
# merge read the worker's pipe without watching it and hung); after each,
# no process of the harness's group is left. Artifacts go to a temp file
# and are renamed into place: an -exact_artifact_path that already exists
# is replaced by a new file (a hard link to the old one keeps the old
# content; written in place, both would change), -minimize_crash's result
# too, and no hidden temp file is left beside any artifact or corpus file.
# Each command runs under `timeout 60`.
. "$(dirname "$0")/lib.sh"

"$FCC" -O1 -g -fsanitize=fuzzer -o harness "$TARGETS/lf_grandchild.c"
export LF_GRANDCHILD_PIDS="$PWD/pids"
# no_temp_files DIR: nothing hidden (a .NAME.tmp) in DIR
no_temp_files() {
	assert_eq "" "$(ls -A "$1" | grep '^\.' || true)" "hidden (temporary) files in $1"
}

# fuzzing: the seed 'G' hangs at once
mkdir -p corpus arts
printf G >corpus/g
rc=0
timeout 60 ./harness -seed=1 -runs=1000 -timeout=1 -artifact_prefix=arts/ corpus >fuzz.out 2>&1 || rc=$?
assert_eq 70 "$rc" "exit status after the timeout (124: it hung)"
assert_grep '^==[0-9]+== ERROR: libFuzzer: timeout after 1 seconds$' fuzz.out
assert_eq "timeout-$(printf G | sha1sum | cut -d' ' -f1)" "$(ls arts)" "the timeout artifact"
no_temp_files arts
no_temp_files corpus
assert_none_left pids "fuzzing"

# running the file
rc=0
timeout 60 ./harness -timeout=1 corpus/g >file.out 2>&1 || rc=$?
assert_eq 70 "$rc" "exit status of running the hanging file (124: it hung)"
assert_grep '^==[0-9]+== ERROR: libFuzzer: timeout after 1 seconds$' file.out
assert_grep '^SUMMARY: libFuzzer: timeout$' file.out
assert_none_left pids "running the file"

# merge skips it and goes on
mkdir -p in out
printf abc >in/a
printf G >in/g
printf zzz >in/z
rc=0
timeout 60 ./harness -merge=1 -timeout=1 out in >merge.out 2>&1 || rc=$?
assert_eq 0 "$rc" "exit status of -merge=1 with a hanging input (124: it hung)"
assert_grep '^MERGE-OUTER: skipping an input that crashed or hung: in/g \(timeout after 1 s\)$' merge.out
assert_grep '^MERGE-OUTER: [0-9]+ new files with [0-9]+ new features added; [0-9]+ new coverage edges$' merge.out
assert_grep '^MERGE-OUTER: 1 inputs skipped \(crash or timeout\)$' merge.out
[ "$(ls out | wc -l)" -ge 1 ] || fail "-merge=1 kept nothing"
no_temp_files out
assert_none_left pids "-merge=1"

# -exact_artifact_path over an existing file: a new file, renamed in
mkdir -p crashy
printf CRASH >crashy/c
printf old >the-crash
ln the-crash keep
rc=0
timeout 60 ./harness -seed=1 -runs=100 -exact_artifact_path=the-crash crashy >crash.out 2>&1 || rc=$?
assert_eq 77 "$rc" "exit status after the crash"
assert_grep '^artifact_prefix=.\./.; Test unit written to the-crash$' crash.out
assert_eq CRASH "$(cat the-crash)" "the artifact"
assert_eq old "$(cat keep)" "a hard link to the file the artifact replaced"
no_temp_files .

# -minimize_crash's result, the same way
printf old >min
ln min keep-min
printf 'CRASH-and-more' >long
rc=0
timeout 60 ./harness -minimize_crash=1 -runs=500 -exact_artifact_path=min long >min.out 2>&1 || rc=$?
assert_eq 0 "$rc" "exit status of -minimize_crash=1"
assert_eq CRASH "$(cat min)" "the minimized crash"
assert_eq old "$(cat keep-min)" "a hard link to the file -minimize_crash replaced"
no_temp_files .
