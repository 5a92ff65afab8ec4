#!/bin/sh
# t0002: the repository keeps its promises about itself: every directory's
# README.md names each of its files, the generated docs match their tables,
# and the runtime exports only ferret_ / ferret__ / ABI names (STYLE rule 9)
# and a wrapper for each compare routine of common/cmp_hooks.def; the
# include graph between modules has no circle and every engine file
# includes banned.h last.
. "$(dirname "$0")/lib.sh"
top=$TOP

for dir in common include runtime src src/core src/exec tools tools/cc scripts bench bench/hypothesis driver \
	examples examples/farid examples/deque examples/lease examples/ir-minimizer examples/ir-minimizer/seeds tests tests/unit tests/e2e tests/targets tests/fuzz docs; do
	[ -f "$top/$dir/README.md" ] || fail "$dir has no README.md"
	for f in $(cd "$top/$dir" && ls); do
		[ "$f" = README.md ] && continue
		grep -q -- "$f" "$top/$dir/README.md" || fail "$dir/README.md does not mention '$f'"
	done
done

"$FERRET" fuzz --markdown-help >flags.md
cmp -s flags.md "$top/docs/flags.md" ||
	fail "docs/flags.md is stale: run 'build/bin/ferret fuzz --markdown-help > docs/flags.md'"
"$FERRET" fuzz --markdown-stats >stats.md
cmp -s stats.md "$top/docs/stats.md" ||
	fail "docs/stats.md is stale: run 'build/bin/ferret fuzz --markdown-stats > docs/stats.md'"

# The wrapped compare routines are the HOOK rows of common/cmp_hooks.def:
# each runtime defines __wrap_NAME for every row and no other __wrap_.
hooks=$(sed -n 's/^HOOK(\([A-Za-z_0-9]*\),.*/\1/p' "$top/common/cmp_hooks.def")
[ -n "$hooks" ] || fail "common/cmp_hooks.def has no HOOK rows"
wraps=$(echo "$hooks" | paste -sd '|' -)
for lib in libferret-rt.a libferret-rt-gcc.a; do
	nm -g --defined-only "$FERRET_BUILD/lib/$lib" | awk 'NF == 3 { print $3 }' >syms
	[ -s syms ] || fail "$lib exports nothing"
	bad=$(grep -Ev "^(ferret_|ferret__|__sanitizer_cov_|LLVMFuzzer|__wrap_($wraps)\$|pthread_create\$|__sancov_lowest_stack\$)" syms || true)
	[ -z "$bad" ] || fail "$lib exports names outside the allowed set: $bad"
	for h in $hooks; do
		grep -qx "__wrap_$h" syms || fail "$lib does not define __wrap_$h (common/cmp_hooks.def)"
	done
done

# The include graph has no circle: module A (A.c, A.h) depends on module B
# when A includes B.h; tsort rejects the graph if it loops. And every engine
# file includes common/banned.h, last.
cd "$top"
headers=$(find common src driver tools runtime include -name '*.h')
for f in $(find src driver tools runtime -name '*.[ch]'); do
	m=${f%.*}
	for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		dep=$(echo "$headers" | grep -m 1 "/$inc\$" || true)
		[ -n "$dep" ] && [ "${dep%.h}" != "$m" ] && echo "${dep%.h} $m"
	done
done >"$OLDPWD/edges"
cd "$OLDPWD"
tsort edges >/dev/null 2>tsort.err || fail "the include graph has a circle: $(cat tsort.err)"
for f in $(cd "$top" && ls src/*.c src/core/*.c src/exec/*.c driver/*.c tools/*.c tools/cc/*.c); do
	last=$(sed -n 's/^#include "\([^"]*\.h\)".*/\1/p' "$top/$f" | tail -n 1)
	[ "$last" = banned.h ] || fail "$f does not include banned.h last"
done
