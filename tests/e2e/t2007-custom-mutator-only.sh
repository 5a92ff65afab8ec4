#!/bin/sh
# t2007: AFL_CUSTOM_MUTATOR_ONLY=1 (and --custom-only) turn off every
# built-in mutation: each queue entry but the seed was made by the custom
# mutator (op:custom), none by havoc, splice, records or input-to-state,
# and the crash it plants is still found. Two libraries in
# AFL_CUSTOM_MUTATOR_LIBRARY (';'-separated) are both loaded, in order,
# and with "@@" a mutator is told the input file and the arguments.
. "$(dirname "$0")/lib.sh"

cc -shared -fPIC -o custom.so "$TARGETS/custom_mutator.c"
cp custom.so custom2.so
build magic custom_magic.c -O0
seeds in 'seed-input-for-custom-trim-test-xxxxxxxxxxxx'

check_only() {
	ls "$1/default/queue" >queue.txt
	assert_no_grep 'op:(havoc|splice|records|i2s|values|crossover)' queue.txt
	[ "$(grep -c 'op:custom,probe_v1_byte' queue.txt)" -ge 3 ] ||
		fail "$1: fewer than 3 entries made by the custom mutator"
	assert_eq "$(count_files "$1/default/queue")" "$(($(grep -c 'op:custom' queue.txt) + 1))" \
		"$1: entries other than the seed and the custom mutator's"
	ls "$1/default/crashes" >crashes.txt
	assert_grep 'op:custom,probe_v1_magic$' crashes.txt
}

AFL_CUSTOM_MUTATOR_ONLY=1 AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/custom.so" \
	"$FERRET" fuzz -i in -o out -s 1 -E 2000 -- ./magic 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
check_only out

"$FERRET" fuzz -i in -o out2 -s 1 -E 2000 --custom-only --custom-mutator custom.so \
	-- ./magic 2>fuzz2.log || { tail -n 5 fuzz2.log >&2; fail "--custom-only exited non-zero"; }
check_only out2

# two libraries, each initialised once, in the listed order; "@@" tells
# them the input file
CUSTOM_MUTATOR_LOG="$PWD/log" AFL_CUSTOM_MUTATOR_ONLY=1 \
	AFL_CUSTOM_MUTATOR_LIBRARY="$PWD/custom.so;;$PWD/custom2.so" \
	"$FERRET" fuzz -i in -o out3 -s 1 -E 200 -- ./magic -x @@ 2>fuzz3.log ||
	{ tail -n 5 fuzz3.log >&2; fail "two libraries: exited non-zero"; }
assert_eq 2 "$(grep -c '^init program=\./magic argv=-x @@$' log)" "two libraries initialised"
assert_eq 2 "$(grep -c '^init out=out3/default input=out3/default/\.cur_input$' log)" \
	"AFL_CUSTOM_INFO_OUT and _PROGRAM_INPUT"
assert_eq 2 "$(grep -c '^deinit$' log)" "deinit calls"
