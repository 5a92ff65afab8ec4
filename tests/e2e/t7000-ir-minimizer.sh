#!/bin/sh
# t7000: examples/ir-minimizer, the custom trim of an IR-aware mutator.
# Builds the example (target with ferret-cc and afl-clang-fast, the
# mutator .so, the tools), runs the minimizer's unit test, then drives the
# .so's trim directly on a 34-instruction crash: it becomes 13
# instructions with the same effects, the same crash and the same map
# (ferret showmap), while cutting any one instruction's 4 bytes, as a
# byte-level trimmer does, is almost always rejected. 20,000 fuzz() calls
# give only programs that decode. afl-fuzz loads the same .so: its queue
# names carry the describe() strings and its seed is trimmed by it.
# ferret fuzz with the same .so (AFL_CUSTOM_MUTATOR_LIBRARY, -s 1 -E 20000)
# finds the planted bug, and the crash is a short program (10
# instructions when written, after 4,818 executions); without the .so
# neither fuzzer finds it (the example's README).
# cost: 5 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"

ex="$TOP/examples/ir-minimizer"
make -s --no-print-directory -C "$ex" O="$TMP/ir" FERRET_BUILD="$FERRET_BUILD" all afl >make.log 2>&1 ||
	{ tail -n 20 make.log >&2; fail "building examples/ir-minimizer"; }
ir=$TMP/ir
[ ! -s make.log ] || { cat make.log >&2; fail "the example's build printed warnings"; }

"$ir/irmin_test" >unit.log 2>&1 || { cat unit.log >&2; fail "irmin_test"; }
assert_grep 'PASSED.*9 test' unit.log

# The bloated crash and its trim by the mutator, through the C ABI.
"$ir/irprint" -a "$ex/crash_bloated.txt" >bloated
assert_eq 34 "$("$ir/irprint" -n bloated)" "instructions in crash_bloated.txt"
rc=0
"$ir/ir_target" bloated >bloated.out 2>bloated.err || rc=$?
assert_ne 0 "$rc" "exit status of the bloated crash"
assert_grep 'store to word 64 overwrote the guard' bloated.err
"$ir/irtrim" "$ir/ir_mutator.so" bloated trimmed >trim.out
assert_eq "trim: 1 steps, 136 -> 52 bytes" "$(cat trim.out)" "irtrim"
assert_eq 13 "$("$ir/irprint" -n trimmed)" "instructions after the trim"
rc=0
"$ir/ir_target" trimmed >trimmed.out 2>trimmed.err || rc=$?
assert_ne 0 "$rc" "exit status of the trimmed crash"
cmp -s bloated.out trimmed.out || { diff bloated.out trimmed.out >&2; fail "the trim changed the effects"; }
cmp -s bloated.err trimmed.err || fail "the trim changed the crash message"
"$FERRET" showmap bloated -- "$ir/ir_target" @@ >map.bloated 2>/dev/null || true
"$FERRET" showmap trimmed -- "$ir/ir_target" @@ >map.trimmed 2>/dev/null || true
[ -s map.bloated ] || fail "empty map for the bloated crash"
cmp -s map.bloated map.trimmed || { diff map.bloated map.trimmed >&2; fail "the trim changed the map"; }
# A minimal program has nothing to offer: no trim step.
"$ir/irtrim" "$ir/ir_mutator.so" trimmed again >trim2.out
assert_eq "trim: 0 steps, 52 -> 52 bytes" "$(cat trim2.out)" "irtrim of a trimmed program"
# What a byte-level trimmer tries: cut one 4-byte instruction. Nearly
# every cut shifts the operand indices after it out of range.
cat bloated.out bloated.err >want.out
same=0 rejected=0
for i in $(seq 0 33); do
	{ head -c $((i * 4)) bloated; tail -c +$((i * 4 + 5)) bloated; } >cut
	"$ir/ir_target" cut >cut.out 2>&1 || true
	grep -q '^rejected' cut.out && rejected=$((rejected + 1))
	cmp -s cut.out want.out && same=$((same + 1))
done
echo "byte cuts: $rejected of 34 rejected, $same keep the behaviour" # for the log
[ "$rejected" -ge 30 ] || fail "only $rejected of 34 byte cuts rejected"
[ "$same" -le 2 ] || fail "$same of 34 byte cuts keep the behaviour"

# fuzz() keeps programs well formed, and every mutation is used.
"$ir/irtrim" -f 20000 "$ir/ir_mutator.so" "$ir/seeds/seed" >fuzz.out ||
	{ cat fuzz.out >&2; fail "irtrim -f: a mutated program does not decode"; }
for m in insert operand const opcode delete wrap splice; do
	assert_grep "^ir:$m [0-9]+\$" fuzz.out
done
assert_grep '^undecodable 0$' fuzz.out

# afl-fuzz loads the same .so (the real ABI): describe() names the queue
# entries and the custom trim shrinks the seed (56 -> 32 bytes).
AFL_CUSTOM_MUTATOR_LIBRARY="$ir/ir_mutator.so" AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 \
	AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_FRAMESHIFT_DISABLE=1 \
	timeout 20 afl-fuzz -s 1 -E 5000 -i "$ir/seeds" -o afl -- "$ir/ir_target_afl" \
	>afl.log 2>&1 || { tail -n 20 afl.log >&2; fail "afl-fuzz with the custom mutator"; }
ls afl/default/queue >afl.queue
kinds=$(grep -o ',ir:[a-z]*' afl.queue | sort -u | wc -l)
echo "afl-fuzz: $(grep -c '^id:' afl.queue) queue entries, $kinds describe strings" # for the log
[ "$kinds" -ge 3 ] || { cat afl.queue >&2; fail "afl-fuzz queue names carry $kinds ir: strings"; }
seed=$(grep '^id:000000,' afl.queue)
assert_eq 32 "$(wc -c <"afl/default/queue/$seed")" "afl-fuzz's copy of the seed, trimmed"

# ferret fuzz with the same .so.
AFL_CUSTOM_MUTATOR_LIBRARY="$ir/ir_mutator.so" timeout 60 \
	"$FERRET" fuzz -s 1 -E 20000 -C -i "$ir/seeds" -o out -- "$ir/ir_target" >fuzz.log 2>&1 ||
	{ tail -n 20 fuzz.log >&2; fail "ferret fuzz with the custom mutator"; }
crash=$(ls out/default/crashes | grep '^id:' | head -n 1 || true)
[ -n "$crash" ] || fail "ferret fuzz found no crash in 20000 executions"
"$ir/ir_target" "out/default/crashes/$crash" >/dev/null 2>crash.err || true
assert_grep 'store to word 64 overwrote the guard' crash.err
"$ir/irprint" "out/default/crashes/$crash" >crash.txt
n=$(grep -c . crash.txt)
echo "ferret fuzz: crash $crash is $n instructions" # for the log
[ "$n" -le 32 ] || { cat crash.txt >&2; fail "the crash is $n instructions, expected at most 32"; }
