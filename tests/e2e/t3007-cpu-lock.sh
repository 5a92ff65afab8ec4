#!/bin/sh
# t3007: the CPU-binding lock files live in a directory every user shares
# (/tmp; here $FERRET_CPU_LOCK_DIR), so nothing found there is trusted: a
# symlink planted in place of a lock file is never followed (before, root's
# ferret created the file the symlink named). With every CPU's lock a
# symlink, ferret creates nothing, warns that no CPU is free and runs
# unbound; with a clean directory it binds and leaves a lock file that
# other users can open too (mode 0644, opened read-only).
. "$(dirname "$0")/lib.sh"
unset FERRET_NO_AFFINITY

build classify classify.c
seeds in 'a1
'
mkdir locks
export FERRET_CPU_LOCK_DIR="$TMP/locks"
cpus=$(nproc --all)
i=0
while [ $i -lt "$cpus" ] && [ $i -lt 1024 ]; do
	ln -s "$TMP/victim-$i" "locks/.ferret-cpu-$i.lock"
	i=$((i + 1))
done
"$FERRET" fuzz -i in -o out -s 1 -E 300 -- ./classify 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
assert_eq "" "$(ls | grep '^victim-' | head -n 3)" "files created through planted symlinks"
assert_grep 'no free CPU to bind to' fuzz.log

rm -f locks/.ferret-cpu-*.lock
"$FERRET" fuzz -i in -o out2 -s 1 -E 300 -- ./classify 2>fuzz2.log ||
	{ tail -n 5 fuzz2.log >&2; fail "ferret fuzz exited non-zero (clean lock directory)"; }
lock=$(ls -A locks | head -n 1)
[ -n "$lock" ] || fail "no lock file in a clean lock directory"
assert_eq 644 "$(stat -c %a "locks/$lock")" "mode of the lock file"
