#!/bin/sh
# t1009: code in instrumented shared libraries is fuzzed (issue 11).
# ferret-cc links no runtime into a -shared object (its callbacks resolve to
# the executable's runtime, which exports them), so the library's edges are
# in the program's one map: tests/targets/shlib_lib.c's abort() behind four
# byte checks is found by `ferret fuzz -s 1 -E 5000` when the library is
# (1) linked by clang and (2) by gcc, (3) dlopen()ed before FERRET_INIT()
# (its edges in the map: more than with a plain-cc build of it), and
# (4) built the libtool way (libtool --mode=compile/link, the program under
# .libs/ run with its library). The library links with --no-undefined and
# loads in a program without ferret. Before, the library carried its own runtime
# and ferret refused the program as "not instrumented". And a seed replays
# its run when the compares are in a library: three runs of -s 1 -E 3000
# on the clang build keep the same queue (compare sites are named relative to
# their module, runtime/modules.c; before, ASLR moved them: libyaml's
# .libs/ program gave three different queues in three runs).
# cost: 5 (seconds here: the runner starts the longest tests first)
. "$(dirname "$0")/lib.sh"
bind_cpu
. "$TOP/tests/e2e/determinism.sh"

seeds in xxxx

# fuzz_finds WHAT PROGRAM: a crash within 5000 executions
fuzz_finds() {
	rm -rf out
	"$FERRET" fuzz -i in -o out -s 1 -E 5000 -C -- "$2" >"$1.out" 2>"$1.err" ||
		{ tail -n 3 "$1.err" >&2; fail "$1: ferret fuzz failed"; }
	[ "$(count_files out/default/crashes)" -ge 1 ] ||
		fail "$1: no crash in 5000 executions ($(tail -n 1 "$1.err"))"
}

for cc in clang gcc; do
	mkdir -p "$cc"
	FERRET_CC=$cc "$FCC" -O1 -fPIC -shared -o "$cc/libshlib.so" "$TARGETS/shlib_lib.c"
	if nm -D --defined-only "$cc/libshlib.so" | grep -q ' ferret'; then
		fail "$cc: the shared library carries a runtime of its own"
	fi
	FERRET_CC=$cc "$FCC" -O1 -o "$cc/prog" "$TARGETS/shlib_main.c" -L"$cc" -lshlib \
		-Wl,-rpath,"$PWD/$cc"
	fuzz_finds "$cc" "$cc/prog"
done

for r in a b c; do
	"$FERRET" fuzz -i in -o "det-$r" -s 1 -E 3000 -- clang/prog >/dev/null 2>&1 ||
		fail "determinism run $r failed"
done
for r in b c; do
	det_same "queue with the library's compares" det-a/default/queue "det-$r/default/queue" 'id:*' 2 ||
		fail "the same seed gave another queue (runs a and $r)"
done

"$FCC" -O1 -DSHLIB_DLOPEN -o dlprog "$TARGETS/shlib_main.c" -ldl
SHLIB_PATH=$PWD/clang/libshlib.so fuzz_finds dlopen ./dlprog
# the dlopen()ed library's own edges are in the map: the program knows
# more edges with it than with the same library built by plain cc
cc -O1 -fPIC -shared -o libplain.so "$TARGETS/shlib_lib.c"
for lib in clang/libshlib.so libplain.so; do
	rm -rf out
	SHLIB_PATH=$PWD/$lib "$FERRET" fuzz -i in -o out -s 1 -E 200 -- ./dlprog >/dev/null 2>&1 ||
		fail "ferret fuzz with $lib"
	stat_value out/default total_edges >"edges-${lib##*/}"
done
[ "$(cat edges-libshlib.so)" -gt "$(cat edges-libplain.so)" ] ||
	fail "the dlopen()ed library adds no edges: $(cat edges-libshlib.so) with it, $(cat edges-libplain.so) without"


# The library has no undefined ferret symbol (weak stand-ins, which the
# program's runtime overrides): it links with -Wl,--no-undefined and a
# program built without ferret loads and runs it.
"$FCC" -O1 -fPIC -shared -Wl,--no-undefined -o libnu.so "$TARGETS/shlib_lib.c" ||
	fail "a -shared link with -Wl,--no-undefined failed"
cat >plainload.c <<'EOS'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	(void)argc;
	void *h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	int (*check)(const char *, int) = (int (*)(const char *, int))dlsym(h, "shlib_check");
	printf("%d\n", check("xyz", 3));
	return 0;
}
EOS
cc -o plainload plainload.c -ldl
assert_eq 0 "$(./plainload "$PWD/libnu.so")" "a plain program running the library"

command -v libtool >/dev/null 2>&1 || fail "libtool not installed (scripts/install-deps.sh)"
mkdir lt && cp -r in lt/ && cd lt
libtool --quiet --tag=CC --mode=compile "$FCC" -O1 -c "$TARGETS/shlib_lib.c" -o shlib_lib.lo
libtool --quiet --tag=CC --mode=link "$FCC" -O1 -o libshlib.la shlib_lib.lo -rpath /usr/local/lib
libtool --quiet --tag=CC --mode=link "$FCC" -O1 -o prog "$TARGETS/shlib_main.c" libshlib.la
[ -x .libs/prog ] || [ -x .libs/lt-prog ] || fail "libtool made no .libs/ program: $(ls -a .libs)"
real=.libs/prog
[ -x "$real" ] || real=.libs/lt-prog
LD_LIBRARY_PATH=$PWD/.libs fuzz_finds libtool "$real"
