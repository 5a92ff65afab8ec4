#!/bin/sh
# real.sh - ferret's libFuzzer mode vs libFuzzer vs AFL++ on real libraries'
# own fuzz harnesses. Fetches the Debian bookworm sources (apt-get source),
# builds each harness four ways with the same flags (ferret-cc + its
# $LIB_FUZZING_ENGINE, clang -fsanitize=fuzzer, afl-clang-fast +
# libAFLDriver.a, and a clang source-coverage build with a plain replay
# main), fuzzes each with each fuzzer for the same time, one run at a time,
# replays every final corpus through the coverage build (llvm-cov), measures
# a trivial harness, and prints one table per library. See bench/README.md,
# "Real harnesses (libFuzzer mode)".
#
# Environment:
#   REAL_SECONDS          seconds per fuzzing run (default 60)
#   REAL_TRIVIAL_SECONDS  seconds per run on the trivial harness (default 10)
#   REAL_LIBS             libraries (default "cjson expat libxml2 sqlite3")
#   REAL_CFLAGS           flags of every build (default "-O1 -g")
#   REAL_WORK             scratch directory (default bench/work/real; its src/
#                         is kept between runs, everything else is rebuilt)
#   FERRET_BUILD          ferret build directory (default build)
#   REAL_BASELINE         another ferret build directory (e.g. of an earlier
#                         commit): measured in the same run as "base", so a
#                         change is quoted as base and new ratios to libFuzzer
# shellcheck disable=SC2034 # PKG_* and HARNESS_* are read through eval
set -eu

T=${REAL_SECONDS:-60}
TT=${REAL_TRIVIAL_SECONDS:-10}
LIBS=${REAL_LIBS:-cjson expat libxml2 sqlite3}
CFLAGS=${REAL_CFLAGS:--O1 -g}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${FERRET_BUILD:-$ROOT/build}
WORK=${REAL_WORK:-$HERE/work/real}
SRC=$WORK/src  # apt-get source trees, kept
RUN=$WORK/run  # everything of this run, wiped first
B=$RUN/bin     # every binary built here (strays() looks for these)
FCC=$BUILD/bin/ferret-cc
AFL_DRIVER=/usr/lib/afl/libAFLDriver.a
GUARD=$((T + 60)) # timeout safety net per fuzzing run
JOBS=$(nproc)
T0=$(date +%s)

say() { echo "real: $*" >&2; }
die() {
	say "$*"
	exit 1
}
case $T$TT in '' | *[!0-9]*) die "REAL_SECONDS and REAL_TRIVIAL_SECONDS must be whole seconds" ;; esac

# --- prerequisites -----------------------------------------------------------
"$ROOT/scripts/install-deps.sh" make clang llvm-14 afl++ afl++-clang tcl dpkg-dev
if [ ! -x "$FCC" ]; then make -C "$ROOT" all >&2; fi
for t in afl-fuzz afl-clang-fast clang llvm-profdata-14 llvm-cov-14 tclsh timeout setsid make; do
	command -v $t >/dev/null 2>&1 || die "$t not found"
done
[ -f "$AFL_DRIVER" ] || die "$AFL_DRIVER not found"
LIB_FUZZING_ENGINE=$("$FCC" --print-fuzzer-lib)
[ -f "$LIB_FUZZING_ENGINE" ] || die "ferret-cc --print-fuzzer-lib gave '$LIB_FUZZING_ENGINE', not a file"
BASE=${REAL_BASELINE:-}
INPROC="ferret" # the in-process fuzzers built with a ferret-cc: ferret, and base
if [ -n "$BASE" ]; then
	BASE=$(cd "$BASE" && pwd)
	BASE_FCC=$BASE/bin/ferret-cc
	[ -x "$BASE_FCC" ] || die "REAL_BASELINE: no $BASE_FCC"
	BASE_ENGINE=$("$BASE_FCC" --print-fuzzer-lib)
	[ -f "$BASE_ENGINE" ] || die "REAL_BASELINE: no fuzzer library '$BASE_ENGINE'"
	INPROC="ferret base"
fi

# --- process hygiene and Debian sources: bench/lib.sh ---------------------------
. "$(dirname "$0")/lib.sh"
debsrc_enable
finalstat() { # finalstat LOG NAME: a stat::NAME line of -print_final_stats=1
	sed -n "s/^stat::$2: *\([0-9.]*\).*/\1/p" "$1" | tail -n 1
}
ratio() {
	awk -v x="$1" -v y="$2" 'BEGIN { if (x + 0 > 0 && y + 0 > 0) printf "%.2f", x / y; else print "n/a" }'
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$SRC"
rm -rf "$RUN"
mkdir -p "$B"

# --- per library: sources, generated files, seeds -----------------------------
# Each lib_LIB function sets: D (source tree), PKG, HARNESS (the harness file,
# as named in the table), FILES (.c files: library + harness), CPP (include
# and define flags), LIBS_LD (link libraries), and writes the seeds to $1.
lib_cjson() {
	PKG=cjson
	D=$(srcdir cjson)
	HARNESS=fuzzing/cjson_read_fuzzer.c
	FILES="$D/cJSON.c $D/$HARNESS"
	CPP="-I$D"
	LIBS_LD=-lm
	# 4 option bytes ('0'/'1'), then a NUL-terminated JSON text
	printf '1111{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"],"b":{"c":{}}}\0' >"$1/s1"
	printf '0000[1, 2, 3]\0' >"$1/s2"
	printf '0101"str"\0' >"$1/s3"
	printf '1010 {"k" : 1.0e-5, "l": [ ] } \0' >"$1/s4"
}

lib_expat() {
	PKG=expat
	D=$(srcdir expat)/expat
	HARNESS=expat/fuzz/xml_parse_fuzzer.c
	FILES="$D/lib/xmlparse.c $D/lib/xmlrole.c $D/lib/xmltok.c $D/fuzz/xml_parse_fuzzer.c"
	# expat_config.h: bench/real/, instead of running expat's configure
	CPP="-I$HERE/real -I$D/lib -DENCODING_FOR_FUZZING=UTF-8"
	LIBS_LD=
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<a x="1" y=\047z\047>text &amp; &#65;<b/><![CDATA[c]]><!-- c --></a>\n' >"$1/s1"
	printf '<!DOCTYPE r [<!ELEMENT r (#PCDATA)><!ATTLIST r a CDATA "d"><!ENTITY e "v">]>\n<r>&e;</r>\n' >"$1/s2"
	printf '<p:r xmlns:p="urn:x"><?pi data?><p:c p:a="1"/></p:r>' >"$1/s3"
}

lib_libxml2() {
	PKG=libxml2
	D=$(srcdir libxml2)
	HARNESS=fuzz/xml.c
	# configure once (plain clang) for config.h and xmlversion.h; the
	# library's .c files are then compiled directly, as for the others
	if [ ! -f "$D/.real-configured" ]; then
		say "libxml2: configure"
		(cd "$D" && ./configure CC=clang --without-python --without-zlib --without-lzma \
			--without-http --without-ftp --without-threads --without-modules \
			--disable-shared >"$D/.real-configure.log" 2>&1) || die "libxml2 configure failed: see $D/.real-configure.log"
		touch "$D/.real-configured"
	fi
	FILES=
	# libxml2_la_SOURCES of Makefile.am (trio and docb sources are empty on Linux)
	for f in SAX.c entities.c encoding.c error.c parserInternals.c parser.c tree.c \
		hash.c list.c xmlIO.c xmlmemory.c uri.c valid.c xlink.c HTMLparser.c \
		HTMLtree.c debugXML.c xpath.c xpointer.c xinclude.c nanohttp.c nanoftp.c \
		catalog.c globals.c threads.c c14n.c xmlstring.c buf.c xmlregexp.c \
		xmlschemas.c xmlschemastypes.c xmlunicode.c xmlreader.c relaxng.c dict.c \
		SAX2.c xmlwriter.c legacy.c chvalid.c pattern.c xmlsave.c xmlmodule.c \
		schematron.c xzlib.c; do
		[ -f "$D/$f" ] && FILES="$FILES $D/$f"
	done
	FILES="$FILES $D/fuzz/fuzz.c $D/fuzz/xml.c"
	CPP="-I$D -I$D/include -DHAVE_CONFIG_H"
	LIBS_LD=-lm
	# fuzz.c's format: a 4-byte parser-options int, then URL\<LF>entity\<LF>
	# pairs; the first entity is the document
	printf '\0\0\0\0doc.xml\\\n<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY e "ent">]>\n<a x="1">&e;<b/>t<![CDATA[c]]><!--c--><?pi x?></a>\n' >"$1/s1"
	# XML_PARSE_NOENT | XML_PARSE_DTDLOAD, with an external DTD
	printf '\006\0\0\0doc.xml\\\n<!DOCTYPE a SYSTEM "a.dtd"><a>&x;</a>\\\na.dtd\\\n<!ELEMENT a ANY><!ENTITY x "y">\n' >"$1/s2"
	printf '\0\0\0\0doc.xml\\\n<r xmlns="urn:d" xmlns:p="urn:x"><p:c p:at="v">x</p:c></r>\n' >"$1/s3"
}

lib_sqlite3() {
	PKG=sqlite3
	D=$(srcdir sqlite3)
	HARNESS=test/ossfuzz.c
	# the amalgamation (sqlite3.c) is generated once: configure + tclsh
	if [ ! -f "$D/.real-bld/sqlite3.c" ]; then
		say "sqlite3: configure && make sqlite3.c"
		mkdir -p "$D/.real-bld"
		(cd "$D/.real-bld" && ../configure CC=clang --disable-tcl >configure.log 2>&1 &&
			make sqlite3.c >make.log 2>&1) || die "sqlite3 amalgamation failed: see $D/.real-bld/*.log"
	fi
	FILES="$D/.real-bld/sqlite3.c $D/test/ossfuzz.c"
	# about OSS-Fuzz's flags for this harness, without SQLITE_DEBUG
	CPP="-I$D/.real-bld -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION \
		-DSQLITE_MAX_MEMORY=25000000 -DSQLITE_PRINTF_PRECISION_LIMIT=1048576 \
		-DSQLITE_MAX_PAGE_COUNT=16384 -DSQLITE_MAX_LENGTH=128000000 -DSQLITE_MAX_SQL_LENGTH=128000000"
	LIBS_LD=-lm
	printf 'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);\nINSERT INTO t(b) VALUES(\047x\047),(\047y\047);\nSELECT a, upper(b) FROM t WHERE a>0 ORDER BY b;\n' >"$1/s1"
	printf 'SELECT 1+2, abs(-3), length(\047abc\047), printf(\047%%d-%%s\047, 5, \047q\047), substr(\047hello\047, 2, 3);\n' >"$1/s2"
	# no recursive CTE: one mutation (n+1 -> ++1) makes it loop until the heap
	# limit, ~1 s per input, which then dominates the in-process fuzzers' runs
	printf 'CREATE TABLE p(x, y);CREATE INDEX i ON p(x);INSERT INTO p VALUES(1,2),(3,NULL),(5,\047a\047);SELECT count(*), sum(x), max(y) FROM p GROUP BY x%%2 HAVING count(*)>0;\n' >"$1/s3"
	printf '\001\nCREATE TABLE q(k PRIMARY KEY, v REFERENCES q(k));CREATE VIEW w AS SELECT k FROM q;SELECT * FROM w LEFT JOIN q USING(k);\n' >"$1/s4"
}

# --- builds: one Makefile for every library and build, run with make -j -------
# variant: cc, compile-only flags, link flags (same $CFLAGS everywhere)
v_cc() { case $1 in ferret) echo "$FCC" ;; base) echo "$BASE_FCC" ;; afl) echo afl-clang-fast ;; *) echo clang ;; esac; }
v_cflags() {
	case $1 in
	ferret | base | libfuzzer) echo "-fsanitize=fuzzer-no-link" ;;
	cov) echo "-fprofile-instr-generate -fcoverage-mapping" ;;
	*) echo "" ;;
	esac
}
v_link() {
	case $1 in
	ferret) echo "$LIB_FUZZING_ENGINE" ;;
	base) echo "$BASE_ENGINE" ;;
	libfuzzer) echo "-fsanitize=fuzzer" ;;
	afl) echo "$AFL_DRIVER" ;;
	cov) echo "-fprofile-instr-generate $RUN/obj/replay.o" ;;
	esac
}
VARIANTS="$INPROC libfuzzer afl cov"
MK=$RUN/Makefile
mkdir -p "$RUN/obj"
{
	echo "all:"
	printf '%s: %s\n\tclang %s -c $< -o $@\n' "$RUN/obj/replay.o" "$HERE/real/replay.c" "$CFLAGS"
} >"$MK"
ALL=
# mk_prog NAME VARIANT FILES CPP LIBS: rules for $B/NAME/VARIANT
mk_prog() {
	n=$1 v=$2 files=$3 cpp=$4 ldl=$5
	cc=$(v_cc "$v")
	vf=$(v_cflags "$v")
	od=$RUN/obj/$n/$v
	mkdir -p "$od" "$B/$n"
	objs=
	for f in $files; do
		o=$od/$(basename "$(dirname "$f")")_$(basename "${f%.c}").o
		objs="$objs $o"
		printf '%s: %s\n\tAFL_QUIET=1 %s %s %s %s -c $< -o $@\n' "$o" "$f" "$cc" "$CFLAGS" "$vf" "$cpp" >>"$MK"
	done
	extra=
	[ "$v" != cov ] || extra=$RUN/obj/replay.o
	printf '%s:%s %s\n\tAFL_QUIET=1 %s %s %s%s %s -o $@ %s\n' "$B/$n/$v" "$objs" "$extra" "$cc" "$CFLAGS" "$vf" "$objs" \
		"$(v_link "$v")" "$ldl" >>"$MK"
	ALL="$ALL $B/$n/$v"
}

mkdir -p "$RUN/seeds"
for lib in $LIBS; do
	command -v "lib_$lib" >/dev/null 2>&1 || die "unknown library '$lib' (REAL_LIBS)"
	mkdir -p "$RUN/seeds/$lib"
	"lib_$lib" "$RUN/seeds/$lib"
	eval "PKG_$lib=\$PKG HARNESS_$lib=\$HARNESS"
	for v in $VARIANTS; do mk_prog "$lib" "$v" "$FILES" "$CPP" "$LIBS_LD"; done
done
mkdir -p "$RUN/seeds/trivial"
printf 'xyz' >"$RUN/seeds/trivial/s1"
for v in $INPROC libfuzzer; do mk_prog trivial "$v" "$HERE/real/trivial.c" "" ""; done
echo "all:$ALL" >>"$MK"
say "building {$LIBS} x {$VARIANTS} with '$CFLAGS' (make -j$JOBS)"
tb=$(date +%s)
make_all "$MK" "$RUN/build.log"
BUILD_S=$(($(date +%s) - tb))
say "built in ${BUILD_S}s"

# every build must survive its seeds
for lib in $LIBS; do
	LLVM_PROFILE_FILE="$RUN/seedcheck.profraw" "$B/$lib/cov" "$RUN/seeds/$lib"/* 2>/dev/null || die "$lib: the coverage build fails on the seeds"
done

# --- fuzzing, one run at a time ----------------------------------------------
export AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
unset AFL_BENCH_UNTIL_CRASH
# fuzz LIB FUZZER SECONDS: one run in $RUN/fuzz/LIB/FUZZER; writes "rc" there
fuzz() {
	lib=$1 fz=$2 s=$3
	d=$RUN/fuzz/$lib/$fz
	rm -rf "$d"
	mkdir -p "$d/corpus"
	cp "$RUN/seeds/$lib"/* "$d/corpus/"
	say "$lib: $fz, ${s}s"
	case $fz in
	ferret | base | libfuzzer)
		run_fuzzer "$d/log" "$B/$lib/$fz" -max_total_time="$s" -seed=1 \
			-print_final_stats=1 -artifact_prefix="$d/" "$d/corpus"
		;;
	afl)
		waited=0
		while :; do
			rm -rf "$d/out"
			run_fuzzer "$d/log" afl-fuzz -i "$RUN/seeds/$lib" -o "$d/out" -V "$s" -- "$B/$lib/afl"
			grep -q 'No more free CPU cores' "$d/log" || break
			[ $waited -lt 120 ] || die "afl-fuzz found no free CPU for 120s (see $d/log)"
			say "afl-fuzz: no free CPU, waiting"
			sleep 5
			waited=$((waited + 5))
		done
		;;
	esac
	echo "$RC" >"$d/rc"
	[ "$RC" = 0 ] || say "$lib: $fz exited with $RC (see $d/log)"
}
for lib in $LIBS; do
	for fz in $INPROC libfuzzer afl; do fuzz "$lib" "$fz" "$T"; done
done
for fz in $INPROC libfuzzer; do fuzz trivial "$fz" "$TT"; done

# --- results of one run --------------------------------------------------------
# execs / exec/s / corpus dir / crashes of one run
r_execs() {
	d=$RUN/fuzz/$1/$2
	case $2 in
	afl) getstat "$d/out/default/fuzzer_stats" execs_done ;;
	*) finalstat "$d/log" number_of_executed_units ;;
	esac
}
r_rate() {
	d=$RUN/fuzz/$1/$2
	case $2 in
	afl) # execs_done / (last_update - start_time), as run.sh
		f=$d/out/default/fuzzer_stats
		[ -f "$f" ] || {
			echo n/a
			return
		}
		awk -v e="$(getstat "$f" execs_done)" -v a="$(getstat "$f" start_time)" -v b="$(getstat "$f" last_update)" \
			'BEGIN { if (b > a) printf "%.0f", e / (b - a); else print "n/a" }'
		;;
	*) finalstat "$d/log" average_exec_per_sec ;;
	esac
}
r_corpus() {
	d=$RUN/fuzz/$1/$2
	case $2 in
	afl) echo "$d/out/default/queue" ;;
	seeds) echo "$RUN/seeds/$1" ;;
	*) echo "$d/corpus" ;;
	esac
}
r_crashes() {
	d=$RUN/fuzz/$1/$2
	case $2 in
	afl) find "$d/out/default/crashes" -maxdepth 1 -type f -name 'id:*' 2>/dev/null | wc -l ;;
	*) find "$d" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l ;;
	esac
}

# coverage LIB WHO: replay WHO's final corpus through the coverage build;
# prints "regions_cov regions lines_cov lines branches_cov branches failed"
coverage() {
	lib=$1 who=$2
	c=$(r_corpus "$lib" "$who")
	p=$RUN/cov/$lib/$who
	rm -rf "$p"
	mkdir -p "$p"
	fail=0
	# batches of 200 files: a crashing input loses one batch's profile, not all
	find "$c" -maxdepth 1 -type f | sort >"$p/files"
	split -l 200 "$p/files" "$p/batch."
	for bf in "$p"/batch.*; do
		[ -s "$bf" ] || continue
		# shellcheck disable=SC2046
		LLVM_PROFILE_FILE="$p/%p.profraw" timeout 300 "$B/$lib/cov" $(cat "$bf") >/dev/null 2>>"$p/replay.log" ||
			fail=$((fail + 1))
	done
	llvm-profdata-14 merge -sparse "$p"/*.profraw -o "$p/merged.profdata" 2>>"$p/replay.log" || {
		echo "0 0 0 0 0 0 $fail"
		return
	}
	llvm-cov-14 report "$B/$lib/cov" -instr-profile="$p/merged.profdata" \
		-ignore-filename-regex='real/replay\.c$' >"$p/report.txt" 2>>"$p/replay.log"
	awk -v fail="$fail" '$1 == "TOTAL" { print $2 - $3, $2, $8 - $9, $8, $11 - $12, $11, fail }' "$p/report.txt"
}

say "replaying the corpora through the coverage builds"
OUT=$RUN/table.txt
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", 100 * a / b; else print "n/a" }'; }
{
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	aflv=$(afl-fuzz -h 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'afl-fuzz++[0-9][^ ]*' | head -n 1)
	clangv=$(clang --version | head -n 1)
	ferretv=$("$BUILD/bin/ferret" --version 2>/dev/null | head -n 1)
	rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
	if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev+dirty"; fi
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC') (machine clock)"
	echo "machine: $JOBS cores, $cpu, Linux $(uname -r); load average before: $LOAD0, after fuzzing: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "versions: $ferretv ($rev), libFuzzer of $clangv, $aflv"
	[ -z "$BASE" ] || echo "base: the ferret build in $BASE (git $(git -C "$BASE/.." rev-parse --short HEAD 2>/dev/null || echo unknown))"
	echo "runs: ${T}s per fuzzer per library, one at a time, -seed=1 (ferret, libFuzzer); flags '$CFLAGS', no sanitizer; builds ${BUILD_S}s"
	echo "coverage: clang -fprofile-instr-generate build + replay main, llvm-cov-14 report TOTAL (library + harness)"
	for lib in $LIBS; do
		pkg='' harness=''
		eval "pkg=\$PKG_$lib harness=\$HARNESS_$lib"
		echo
		echo "$lib $(srcver "$pkg") ($harness)"
		printf '%-10s %9s %10s %7s %15s %15s %15s %7s %9s %s\n' fuzzer "exec/s" execs "lines%" "lines" "branches" "regions" corpus bytes note
		for who in seeds $INPROC libfuzzer afl; do
			# shellcheck disable=SC2046 # seven numbers
			set -- $(coverage "$lib" "$who")
			files=$(find "$(r_corpus "$lib" "$who")" -maxdepth 1 -type f | wc -l)
			bytes=$(find "$(r_corpus "$lib" "$who")" -maxdepth 1 -type f -exec cat {} + | wc -c)
			note=
			[ "${7:-0}" = 0 ] || note="replay: $7 batch(es) failed;"
			if [ $who = seeds ]; then
				rate=- execs=-
			else
				rate=$(r_rate "$lib" "$who")
				execs=$(r_execs "$lib" "$who")
				cr=$(r_crashes "$lib" "$who")
				rc=$(cat "$RUN/fuzz/$lib/$who/rc")
				[ "$cr" = 0 ] || note="$note $cr crash/timeout file(s);"
				[ "$rc" = 0 ] || note="$note exit $rc;"
			fi
			name=$who
			case $who in libfuzzer) name=libFuzzer ;; afl) name=AFL++ ;; esac
			printf '%-10s %9s %10s %7s %15s %15s %15s %7s %9s %s\n' "$name" "${rate:-n/a}" "${execs:-n/a}" "$(pct "$3" "$4")" \
				"$3/$4" "$5/$6" "$1/$2" "$files" "$bytes" "$note"
		done
		echo "exec/s ratio ferret/libFuzzer $(ratio "$(r_rate "$lib" ferret)" "$(r_rate "$lib" libfuzzer)"), ferret/AFL++ $(ratio "$(r_rate "$lib" ferret)" "$(r_rate "$lib" afl)")"
		[ -z "$BASE" ] ||
			echo "exec/s ratio base/libFuzzer $(ratio "$(r_rate "$lib" base)" "$(r_rate "$lib" libfuzzer)"), ferret/base $(ratio "$(r_rate "$lib" ferret)" "$(r_rate "$lib" base)")"
	done
	echo
	fr=$(r_rate trivial ferret)
	lr=$(r_rate trivial libfuzzer)
	echo "trivial harness (bench/real/trivial.c), ${TT}s each: ferret ${fr:-n/a} exec/s, libFuzzer ${lr:-n/a} exec/s, ferret/libFuzzer $(ratio "$fr" "$lr")"
	if [ -n "$BASE" ]; then
		br=$(r_rate trivial base)
		echo "trivial harness, base ($BASE): ${br:-n/a} exec/s, base/libFuzzer $(ratio "$br" "$lr"), ferret/base $(ratio "$fr" "$br")"
	fi
	echo "total: $(($(date +%s) - T0))s; outputs: $RUN"
} >"$OUT"
echo
cat "$OUT"
