#!/bin/sh
# t7001: examples/lease, the lease client checked against its model. The
# FERRET_TEST built with ferret-cc --fuzzer finds the planted bug (a late
# ACK taken after a NAK while RENEWING) with -seed=1 in a bounded run (the
# counted first failure is at 3,180 executions; the bound is 100,000), the
# failure shrinks to the one message order that shows it, `ferret show` of
# the saved stream reads as that order (timer, OFFER, ACK, timer, NAK,
# ACK), --run replays it, and the client built with -DLEASE_FIXED passes
# the same bounded run and the saved failure.
. "$(dirname "$0")/lib.sh"

ex="$TOP/examples/lease"
"$FCC" --fuzzer -O1 -g -o lease_test "$ex/lease_test.c" "$ex/lease.c"
"$FCC" --fuzzer -O1 -g -DLEASE_FIXED -o lease_fixed "$ex/lease_test.c" "$ex/lease.c"

./lease_test --list >list.out
assert_eq lease_matches_model "$(cat list.out)" "--list"

rc=0
./lease_test --fuzz lease_matches_model -seed=1 -runs=100000 >fuzz.out 2>&1 || rc=$?
assert_ne 0 "$rc" "exit status of --fuzz (the bug must be found)"
assert_grep 'assertion failed: lease_test\.c:[0-9]+: c\.state == m\.st' fuzz.out
assert_grep 'shrunk the failing input from [0-9]+ to [0-9]+ values' fuzz.out
dir=testdata/lease_matches_model
crash=$dir/$(ls "$dir" | grep '^crash-' | head -n 1)
[ -f "$crash" ] || fail "no crash file in $dir"

# the shrunk stream, read as events: 0 timer, 1 OFFER, 2 ACK, 3 NAK
rc=0
"$FERRET" show "$crash" >show.out 2>show.err || rc=$?
assert_eq 0 "$rc" "exit status of ferret show"
assert_eq "" "$(cat show.err)" "stderr of ferret show"
events=$(awk '$2 == "event" { printf "%s%s", sep, $3; sep = " " }' show.out)
assert_eq "0 1 2 0 3 2" "$events" "the events of the shrunk failure (ferret show)"
# the replies answer the latest request (xid choice 0): the NAK and the
# late ACK carry the renewal's xid
msgs=$(awk '$2 ~ /\.xid$/ { printf "%s%s=%s", sep, $2, $3; sep = " " }' show.out)
assert_eq "offer.xid=0 ack.xid=0 nak.xid=0 ack.xid=0" "$msgs" "the replies' xids (ferret show)"

rc=0
./lease_test --run lease_matches_model "$crash" >run.out 2>&1 || rc=$?
assert_ne 0 "$rc" "exit status of --run on the failure"
assert_grep 'assertion failed: lease_test\.c:[0-9]+: c\.state == m\.st' run.out

# the fixed client: the saved failure passes, and so does the same run
rc=0
./lease_fixed --run lease_matches_model "$crash" >fixed-run.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the fixed client on the failure"
assert_grep "^Passed: $crash\$" fixed-run.out
rm -rf testdata
rc=0
./lease_fixed --fuzz lease_matches_model -seed=1 -runs=100000 >fixed.out 2>&1 || rc=$?
assert_eq 0 "$rc" "the fixed client under --fuzz -seed=1 -runs=100000 ($(tail -n 3 fixed.out))"
assert_grep '^#100000[[:space:]]+DONE' fixed.out
