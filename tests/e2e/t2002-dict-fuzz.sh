#!/bin/sh
# t2002: ferret fuzzes its own dictionary parser. tests/fuzz/dict_fuzz.c is
# built with ferret-cc together with src/core/dict.c and src/core/errors.c,
# once plain and once with ASan and UBSan (the harness reads from a buffer
# of exactly the input's size, so a read past the end is caught), seeded
# with a few dictionary texts (valid lines, names and levels, escapes, CRLF,
# malformed lines) and fuzzed with a fixed seed and budget. Checks: the
# seeds pass the harness, no crash and no hang is saved (every invariant of
# dict_parse held), and the queue grew well beyond the seeds.
# Measured when written: ~175 queue entries after 20000 executions plain,
# ~140 after 6000 with sanitizers.
. "$(dirname "$0")/lib.sh"

src="$TOP/tests/fuzz/dict_fuzz.c $TOP/src/core/dict.c $TOP/src/core/errors.c"
# shellcheck disable=SC2086 # $src is a list of paths without spaces
"$FCC" -O1 -g -I"$TOP/src/core" -I"$TOP/common" -o dict_fuzz $src
# shellcheck disable=SC2086
"$FCC" -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$TOP/src/core" -I"$TOP/common" -o dict_fuzz_san $src

mkdir in
printf '# AFL and libFuzzer lines\nkw="FERRETKEYWORD"\nname@2 = "GIF89a"\n"bare"\n' >in/valid
printf 'esc="\\x00\\xff\\\\\\"q"\r\nhex = "\\x41\\x4a\\x7E"\n  \t# indented comment\n' >in/escapes
printf 'ok="x"\nbad = unquoted\nc="closed" trailing\nd="\\q"\ne=""\nf="open\n' >in/bad
for f in in/*; do
	./dict_fuzz <"$f" || fail "seed $f fails the harness (exit $?)"
	./dict_fuzz_san <"$f" || fail "seed $f fails the sanitized harness (exit $?)"
done

# check_run OUT BUDGET MIN_FOUND: no crash, no hang, at least MIN_FOUND new entries
check_run() {
	assert_eq "$2" "$(stat_value "$1/default" execs_done)" "$1: executions"
	assert_eq 0 "$(count_files "$1/default/crashes")" "$1: crashes (inputs in $1/default/crashes)"
	assert_eq 0 "$(count_files "$1/default/hangs")" "$1: hangs"
	found=$(stat_value "$1/default" corpus_found)
	queue=$(count_files "$1/default/queue")
	[ "$found" -ge "$3" ] || fail "$1: only $found entries found by mutation, expected >= $3"
	[ "$queue" -ge $((3 + $3)) ] || fail "$1: $queue queue entries, expected >= 3 seeds + $3"
	echo "$1: $queue queue entries, $found found" # for the log
}

"$FERRET" fuzz -i in -o out -s 1 -E 20000 -- ./dict_fuzz 2>fuzz.log ||
	{ tail -n 5 fuzz.log >&2; fail "ferret fuzz exited non-zero"; }
check_run out 20000 30

"$FERRET" fuzz -i in -o out-san -s 1 -E 6000 -- ./dict_fuzz_san 2>fuzz-san.log ||
	{ tail -n 5 fuzz-san.log >&2; fail "ferret fuzz (sanitized) exited non-zero"; }
check_run out-san 6000 30
