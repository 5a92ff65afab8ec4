#!/bin/sh
# t1006: hostile targets (issue 10). Every verdict belongs to the input
# that caused it, and no single input ends a campaign:
# - persist_late_death.c: 'K' starts a thread that SIGKILLs the persistent
#   child a little later, after 'K' was reported done. Before statuses
#   carried sequence numbers, the death's status was read as the next
#   input's and every later verdict shifted by one: aborts saved under
#   inputs that do not start with 'A', 'A' inputs kept in the queue.
# - kill_parent.c (fork server): 'X' SIGKILLs the fork server. It is saved
#   as a crash, a new server is started and the run goes on to -E.
# - persist_clobber.c (persistent): 'D' puts /dev/null over the protocol's
#   descriptors, 'P' a pipe of its own (it reads its own report back as a
#   command); the run goes on to -E.
# - persist_touch_lie.c (persistent): writes the touch list the engine
#   reads the run's counters from: a count past its capacity ('N'),
#   indexes past the map ('I'), an empty list ('Z'); the run goes on to -E
#   and finds the bug behind them.
# - hang_fake_pid.c: a target that writes another pid into the shared
#   header before it hangs does not get that process killed.
# - fork_orphan.c: children the target leaves behind, even in a session
#   of their own, do not outlive ferret.
. "$(dirname "$0")/lib.sh"

build late persist_late_death.c -lpthread
seeds in K bb cc
"$FERRET" fuzz -i in -o out -s 1 -E 20000 -- ./late 2>late.log ||
	{ tail -n 5 late.log >&2; fail "ferret fuzz on persist_late_death exited non-zero"; }
assert_grep '^execs_done        : 20000$' out/default/fuzzer_stats
aborts=0
for f in out/default/crashes/id:*; do
	[ -e "$f" ] || continue
	case $f in
	*sig:06*)
		assert_eq A "$(head -c 1 "$f")" "first byte of abort $f"
		aborts=$((aborts + 1))
		;;
	esac
done
[ "$aborts" -ge 1 ] || fail "no abort saved"
for f in out/default/queue/id:*; do
	[ "$(head -c 1 "$f")" != A ] || fail "an aborting input is in the queue: $f"
done

build killp kill_parent.c
seeds in2 X bb
"$FERRET" fuzz -i in2 -o out2 -s 1 -E 3000 -- ./killp 2>killp.log ||
	{ tail -n 5 killp.log >&2; fail "ferret fuzz on kill_parent exited non-zero"; }
assert_grep '^execs_done        : 3000$' out2/default/fuzzer_stats
found=0
for f in out2/default/crashes/id:*; do
	[ "$(head -c 1 "$f")" = X ] && found=1
done
assert_eq 1 "$found" "an input that kills the fork server saved as a crash"
assert_grep 'killed the fork server' killp.log

build clob persist_clobber.c
seeds in3 D P bb
"$FERRET" fuzz -i in3 -o out3 -s 1 -E 3000 -- ./clob 2>clob.log ||
	{ tail -n 5 clob.log >&2; fail "ferret fuzz on persist_clobber exited non-zero"; }
assert_grep '^execs_done        : 3000$' out3/default/fuzzer_stats
[ "$(count_files out3/default/crashes)" -ge 1 ] || fail "the abort behind the clobbering inputs was not found"

build lie persist_touch_lie.c -I"$TOP/common"
seeds in6 Naa Iaa Zaa bb
"$FERRET" fuzz -i in6 -o out6 -s 1 -E 20000 -- ./lie 2>lie.log ||
	{ tail -n 5 lie.log >&2; fail "ferret fuzz on persist_touch_lie exited non-zero"; }
assert_grep '^execs_done        : 20000$' out6/default/fuzzer_stats
[ "$(count_files out6/default/crashes)" -ge 1 ] || fail "the abort behind the lying inputs was not found"
lies=0
for f in out6/default/queue/id:*; do
	case $(head -c 1 "$f") in N | I) lies=$((lies + 1)) ;; esac
done
[ "$lies" -ge 2 ] || fail "the inputs that lie about the touch list were not run as seeds"

# hang_fake_pid.c: 'H' writes another process's pid into the shared
# header's child_pid and hangs. The timeout kills the hanging child, never
# the process named there.
build fakepid hang_fake_pid.c -I"$TOP/common"
sleep 300 &
victim=$!
seeds in4 H bb
HOSTILE_VICTIM=$victim "$FERRET" fuzz -i in4 -o out4 -s 1 -t 100 -E 300 -- ./fakepid 2>fakepid.log ||
	{ kill "$victim"; tail -n 5 fakepid.log >&2; fail "ferret fuzz on hang_fake_pid exited non-zero"; }
alive=0
kill -0 "$victim" 2>/dev/null && alive=1
kill "$victim" 2>/dev/null || true
assert_eq 1 "$alive" "the process whose pid the target wrote is alive"
[ "$(count_files out4/default/hangs)" -ge 1 ] || fail "the hang was not saved"

# fork_orphan.c: 'F' leaves behind a child in a session of its own. None
# may outlive the run (ferret is their subreaper and kills them).
build orphan fork_orphan.c
seeds in5 F bb
ORPHAN_PIDS="$TMP/orphans" "$FERRET" fuzz -i in5 -o out5 -s 1 -E 500 -- ./orphan 2>orphan.log ||
	{ tail -n 5 orphan.log >&2; fail "ferret fuzz on fork_orphan exited non-zero"; }
[ -s orphans ] || fail "the target left no orphan to check"
alive=0
for p in $(cat orphans); do
	if kill -0 "$p" 2>/dev/null; then
		alive=$((alive + 1))
		kill -KILL "$p" 2>/dev/null || true
	fi
done
assert_eq 0 "$alive" "orphans of the target alive after ferret fuzz ended"
