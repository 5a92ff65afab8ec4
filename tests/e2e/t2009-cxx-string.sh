#!/bin/sh
# t2009: compare feedback reaches std::string (issue 11): `s == "literal"`
# and `s.compare(t)` call libstdc++.so's basic_string::compare, which the
# memcmp wrapper never sees; ferret-c++ wraps both (common/cmp_hooks.def).
# tests/targets/cxx_string.cc crashes on "ferret-magic-word\nsecond-secret";
# with -seed=1 -runs=300000 libFuzzer mode finds it, built by clang and by
# gcc. Before the hooks neither build found it in those runs.
. "$(dirname "$0")/lib.sh"

for cc in clang gcc; do
	case $cc in clang) cxx=clang++ ;; gcc) cxx=g++ ;; esac
	command -v $cxx >/dev/null 2>&1 || fail "$cxx not installed (scripts/install-deps.sh)"
	FERRET_CC=$cc FERRET_CXX=$cxx "$FCXX" -O1 -g -fsanitize=fuzzer -o "h-$cc" \
		"$TARGETS/cxx_string.cc"
	mkdir -p "c-$cc" "a-$cc"
	rc=0
	"./h-$cc" -seed=1 -runs=300000 -artifact_prefix="a-$cc/" "c-$cc" >"$cc.out" 2>"$cc.err" || rc=$?
	[ "$rc" -ne 0 ] || fail "$cc build: no crash in 300000 runs ($(grep -c NEW "$cc.err") NEW lines)"
	f=$(ls "a-$cc" | grep '^crash-' | head -n 1)
	[ -n "$f" ] || fail "$cc build: exit $rc but no crash artifact"
	assert_eq "ferret-magic-word
second-secret" "$(cat "a-$cc/$f")" "$cc build: the crash input"
done
