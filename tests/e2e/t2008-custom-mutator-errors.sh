#!/bin/sh
# t2008: a custom mutator library that cannot be used is refused before
# anything is created, with one line on stderr and a non-zero exit: a
# missing file (from the flag and from AFL_CUSTOM_MUTATOR_LIBRARY), a
# library with neither afl_custom_fuzz nor afl_custom_mutator, a file that
# is no library, and custom-only mode without any library.
. "$(dirname "$0")/lib.sh"

cc -shared -fPIC -DNO_FUZZ -o nofuzz.so "$TARGETS/custom_mutator.c"
echo 'not a library' >bogus.so
build magic custom_magic.c
seeds in x

# refused WHAT PATTERN [env...]: ferret fuzz (with the env given) fails
# with exactly one stderr line matching PATTERN and creates no OUT
refused() {
	what=$1 pattern=$2
	shift 2
	rc=0
	env "$@" "$FERRET" fuzz -i in -o out -s 1 -E 100 $FLAGS -- ./magic >out.txt 2>err.txt || rc=$?
	assert_ne 0 "$rc" "$what: exit status"
	assert_eq 1 "$(wc -l <err.txt)" "$what: stderr lines ($(cat err.txt))"
	assert_grep "$pattern" err.txt
	[ ! -e out ] || fail "$what: created the output directory"
}

FLAGS="--custom-mutator ./missing.so"
refused "missing --custom-mutator" "^ferret: cannot load custom mutator '\./missing\.so': No such file or directory$"
FLAGS=
refused "missing in AFL_CUSTOM_MUTATOR_LIBRARY" \
	"^ferret: cannot load custom mutator '/nonexistent/m\.so': No such file or directory$" \
	AFL_CUSTOM_MUTATOR_LIBRARY=/nonexistent/m.so
FLAGS="--custom-mutator nofuzz.so"
refused "no fuzz hook" "^ferret: custom mutator 'nofuzz\.so' has no afl_custom_fuzz \(nor the legacy afl_custom_mutator\)$"
FLAGS="--custom-mutator ./bogus.so"
refused "not a library" "^ferret: cannot load custom mutator '\./bogus\.so': "
FLAGS=--custom-only
refused "--custom-only alone" "^ferret: custom-only mode .* needs a custom mutator"
FLAGS=
refused "AFL_CUSTOM_MUTATOR_ONLY alone" "^ferret: custom-only mode .* needs a custom mutator" \
	AFL_CUSTOM_MUTATOR_ONLY=1
