#!/bin/sh
# t0002: the repository keeps its promises about itself: every directory's
# README.md names each of its files, the generated docs match their tables,
# and the runtime exports only ferret_ / ferret__ / ABI names (STYLE rule 9)
# and a wrapper for each compare routine of common/cmp_hooks.def.
. "$(dirname "$0")/lib.sh"
top=$TOP

for dir in common include runtime src src/core src/exec tools tools/cc scripts bench driver \
	examples examples/farid examples/deque tests tests/unit tests/e2e tests/targets tests/fuzz docs; do
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
hooks=$(sed -n 's/^HOOK(\([a-z_0-9]*\),.*/\1/p' "$top/common/cmp_hooks.def")
[ -n "$hooks" ] || fail "common/cmp_hooks.def has no HOOK rows"
wraps=$(echo "$hooks" | paste -sd '|' -)
for lib in libferret-rt.a libferret-rt-gcc.a; do
	nm -g --defined-only "$FERRET_BUILD/lib/$lib" | awk 'NF == 3 { print $3 }' >syms
	[ -s syms ] || fail "$lib exports nothing"
	bad=$(grep -Ev "^(ferret_|ferret__|__sanitizer_cov_|LLVMFuzzer|__wrap_($wraps)\$|pthread_create\$)" syms || true)
	[ -z "$bad" ] || fail "$lib exports names outside the allowed set: $bad"
	for h in $hooks; do
		grep -qx "__wrap_$h" syms || fail "$lib does not define __wrap_$h (common/cmp_hooks.def)"
	done
done
