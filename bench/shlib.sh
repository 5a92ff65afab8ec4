#!/bin/sh
# shlib.sh - a real library built the libtool way as a shared object and
# fuzzed through one of its own programs: are the library's edges in the
# program's map? Fetches Debian bookworm's libyaml (apt-get source),
# configures it twice out of tree (autotools + libtool, shared, as libtool
# builds by default): "inst" with ferret-cc as CC for the library and the
# programs, "plain" with plain cc for the library and ferret-cc for the
# program only. The program is tests/run-parser-test-suite (reads YAML on
# stdin, prints the parser's events); its real binary is under
# tests/.libs/, run with LD_LIBRARY_PATH at the build's src/.libs/. Then,
# each run bounded by -E and timeout, -s 1, one at a time: `ferret
# showmap` of one seed, `ferret fuzz` on the .libs/ program of each build
# and on the inst build's libtool wrapper script, and afl-fuzz on the
# .libs/ program of each build. Prints one table. See bench/README.md,
# "Shared libraries: a libtool build of a real library".
#
# Environment:
#   SHLIB_EXECS   executions per fuzzing run (-E; default 20000)
#   SHLIB_CFLAGS  CFLAGS of both builds (default "-O1 -g")
#   SHLIB_AFL     1 (default): also run afl-fuzz; 0: ferret only
#   SHLIB_WORK    scratch directory (default bench/work/shlib; its src/ is
#                 kept between runs, everything else is rebuilt)
#   FERRET_BUILD  ferret build directory (default build)
set -eu

N=${SHLIB_EXECS:-20000}
CFLAGS=${SHLIB_CFLAGS:--O1 -g}
AFL=${SHLIB_AFL:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${SHLIB_WORK:-$HERE/work/shlib}
SRC=$WORK/src # apt-get source tree, kept
RUN=$WORK/run # everything of this run, wiped first
B=$RUN        # every binary built here is under it (strays() looks for these)
FCC=$BUILD/bin/ferret-cc
FERRET=$BUILD/bin/ferret
PKG=libyaml
PROG=tests/run-parser-test-suite
SEED=mapping.yaml # the seed showmap runs
GUARD=600         # timeout safety net per run; -E ends them long before
JOBS=$(nproc)
T0=$(date +%s)

say() { echo "shlib: $*" >&2; }
die() {
	say "$*"
	exit 1
}
case $N in '' | *[!0-9]*) die "SHLIB_EXECS must be a whole number" ;; esac

# --- prerequisites -----------------------------------------------------------
deps="make clang dpkg-dev autoconf automake libtool libtool-bin"
[ "$AFL" = 0 ] || deps="$deps afl++"
# shellcheck disable=SC2086
"$ROOT/scripts/install-deps.sh" $deps
if [ ! -x "$FCC" ]; then make -C "$ROOT" all >&2; fi
for t in autoreconf make nm objdump ldd timeout setsid; do
	command -v $t >/dev/null 2>&1 || die "$t not found"
done
[ "$AFL" = 0 ] || command -v afl-fuzz >/dev/null 2>&1 || die "afl-fuzz not found"

. "$HERE/lib.sh"
debsrc_enable
mkdir -p "$SRC"
rm -rf "$RUN"
mkdir -p "$RUN"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

# --- sources: the Debian tree ships no configure, autoreconf it once ----------
D=$(srcdir $PKG)
if [ ! -f "$D/.shlib-autoreconf" ]; then
	say "$PKG: autoreconf"
	(cd "$D" && autoreconf -fi) >"$SRC/autoreconf.log" 2>&1 || die "autoreconf failed: see $SRC/autoreconf.log"
	touch "$D/.shlib-autoreconf"
fi
mkdir -p "$RUN/seeds"
cp "$D"/examples/*.yaml "$RUN/seeds/"

# --- two builds ----------------------------------------------------------------
# build NAME LIBCC: $RUN/NAME, configured with CC=LIBCC (the library), the
# program then made with CC=ferret-cc (libtool links it to src/.libs/)
build() {
	d=$RUN/$1
	mkdir -p "$d"
	say "$1: configure CC=$(basename "$2"), make src (library), make $PROG with ferret-cc"
	(cd "$d" && "$D/configure" CC="$2" CFLAGS="$CFLAGS") >"$d/configure.log" 2>&1 ||
		die "$1: configure failed: see $d/configure.log"
	make -C "$d/src" -j"$JOBS" >"$d/make.log" 2>&1 || die "$1: library build failed: see $d/make.log"
	make -C "$d/tests" CC="$FCC" "${PROG#tests/}" >>"$d/make.log" 2>&1 ||
		die "$1: $PROG build failed: see $d/make.log"
	[ -x "$d/tests/.libs/${PROG#tests/}" ] || die "$1: no tests/.libs/${PROG#tests/} (not a libtool shared build?)"
	so=$(ls "$d"/src/.libs/libyaml-0.so.* | head -n 1)
	# the loader must take this build's library, not the system's libyaml
	LD_LIBRARY_PATH=$d/src/.libs ldd "$d/tests/.libs/${PROG#tests/}" | grep -q "=> $d/src/.libs/libyaml" ||
		die "$1: the .libs/ program does not load $d/src/.libs/libyaml"
	# a -shared object carries no runtime of its own (docs/design.md section 1)
	! nm -D --defined-only "$so" | grep -q ' ferret' || die "$1: $so exports a ferret runtime"
}
tb=$(date +%s)
build inst "$FCC"
build plain cc
BUILD_S=$(($(date +%s) - tb))
say "built in ${BUILD_S}s"
# guards BUILD: calls to __sanitizer_cov_trace_pc_guard in the library's
# code (one per edge; 0: not instrumented), counted without ferret
guards() {
	objdump -d "$(ls "$RUN/$1"/src/.libs/libyaml-0.so.* | head -n 1)" | grep -c 'call.*<__sanitizer_cov_trace_pc_guard@plt>' || true
}

# --- runs, one at a time ---------------------------------------------------------
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
unset AFL_BENCH_UNTIL_CRASH
# fuzz BUILD WHO: one run in $RUN/fuzz/BUILD-WHO (WHO: ferret, wrapper, afl);
# writes "rc" there
fuzz() {
	d=$RUN/fuzz/$1-$2
	mkdir -p "$d"
	p=$RUN/$1/tests/.libs/${PROG#tests/}
	say "$1: $2, -E $N"
	export LD_LIBRARY_PATH="$RUN/$1/src/.libs"
	case $2 in
	ferret) run_fuzzer "$d/log" "$FERRET" fuzz -i "$RUN/seeds" -o "$d/out" -s 1 -E "$N" -- "$p" ;;
	wrapper) # the libtool wrapper script: it sets LD_LIBRARY_PATH itself
		unset LD_LIBRARY_PATH
		run_fuzzer "$d/log" "$FERRET" fuzz -i "$RUN/seeds" -o "$d/out" -s 1 -E "$N" -- "$RUN/$1/$PROG"
		;;
	afl) run_fuzzer "$d/log" afl-fuzz -i "$RUN/seeds" -o "$d/out" -s 1 -E "$N" -- "$p" ;;
	esac
	unset LD_LIBRARY_PATH
	echo "$RC" >"$d/rc"
	[ "$RC" = 0 ] || say "$1: $2 exited with $RC (see $d/log)"
}
# showmap BUILD: edges the seed $SEED hits (ferret showmap)
showmap() {
	m=$RUN/showmap-$1.txt
	LD_LIBRARY_PATH=$RUN/$1/src/.libs timeout 60 "$FERRET" showmap -o "$m" "$RUN/seeds/$SEED" -- \
		"$RUN/$1/tests/.libs/${PROG#tests/}" >/dev/null 2>"$m.err" || die "$1: showmap failed: $(tail -n 2 "$m.err")"
	reap_strays "showmap"
	wc -l <"$m" | tr -d ' '
}
SM_inst=$(showmap inst)
SM_plain=$(showmap plain)
WHO="ferret"
[ "$AFL" = 0 ] || WHO="$WHO afl"
for b in inst plain; do
	for w in $WHO; do fuzz $b $w; done
done
fuzz inst wrapper

# --- table ---------------------------------------------------------------------
stats() { echo "$RUN/fuzz/$1/out/default/fuzzer_stats"; }
# row NAME BUILD DIR: one line of the table
row() {
	f=$(stats "$3")
	if [ -f "$f" ]; then
		e=$(getstat "$f" edges_found) t=$(getstat "$f" total_edges) x=$(getstat "$f" execs_done)
		r=$(getstat "$f" execs_per_sec) q=$(find "$RUN/fuzz/$3/out/default/queue" -maxdepth 1 -type f -name 'id:*' | wc -l)
		c=$(find "$RUN/fuzz/$3/out/default/crashes" -maxdepth 1 -type f -name 'id:*' | wc -l)
	else
		e=n/a t=n/a x=n/a r=n/a q=n/a c=n/a
	fi
	note=
	rc=$(cat "$RUN/fuzz/$3/rc")
	[ "$rc" = 0 ] || note="exit $rc"
	printf '%-26s %-6s %6s %6s %7s %8s %8s %6s %7s %s\n' "$1" "$2" "$e" "$t" \
		"$(awk -v e="$e" -v t="$t" 'BEGIN { if (t + 0 > 0) printf "%.1f", 100 * e / t; else print "n/a" }')" \
		"$x" "${r%.*}" "$q" "$c" "$note"
}
OUT=$RUN/table.txt
{
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	ferretv=$("$FERRET" --version 2>/dev/null | head -n 1)
	rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi
	aflv=-
	[ "$AFL" = 0 ] || aflv=$(afl-fuzz -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'afl-fuzz++[0-9][^ ]*' | head -n 1)
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC') (machine clock)"
	echo "machine: $JOBS cores, $cpu, Linux $(uname -r); load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "versions: $ferretv ($rev), $aflv, ferret-cc over $(clang --version | head -n 1), plain $(cc --version | head -n 1), $(libtool --version | head -n 1)"
	echo "library: $PKG $(srcver $PKG), autoreconf + configure (libtool, shared and static, programs linked shared), CFLAGS '$CFLAGS'; builds ${BUILD_S}s"
	echo "program: $PROG (YAML on stdin), real binary tests/.libs/${PROG#tests/}, LD_LIBRARY_PATH=<build>/src/.libs"
	echo "builds: inst = library and program with ferret-cc; plain = library with cc, program with ferret-cc"
	echo "runs: -s 1 -E $N each (timeout ${GUARD}s), one at a time; seeds: the $(ls "$RUN/seeds" | wc -l) files of examples/*.yaml"
	echo
	echo "edge calls in libyaml-0.so (objdump: call __sanitizer_cov_trace_pc_guard): inst $(guards inst), plain $(guards plain)"
	echo "ferret showmap of examples/$SEED: inst $SM_inst edges, plain $SM_plain edges"
	echo
	printf '%-26s %-6s %6s %6s %7s %8s %8s %6s %7s %s\n' run build edges total "edges%" execs "exec/s" queue crashes note
	row "ferret fuzz .libs/" inst inst-ferret
	row "ferret fuzz .libs/" plain plain-ferret
	row "ferret fuzz wrapper script" inst inst-wrapper
	if [ "$AFL" != 0 ]; then
		row "afl-fuzz .libs/" inst inst-afl
		row "afl-fuzz .libs/" plain plain-afl
	fi
	echo
	echo "total: $(($(date +%s) - T0))s; outputs: $RUN"
} >"$OUT"
echo
cat "$OUT"
