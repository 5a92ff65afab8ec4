#!/bin/sh
# t0003: `make install` writes a man page for ferret, each of its commands
# (as `ferret --commands` lists them), ferret-cc (ferret-c++ a link to it)
# and the libFuzzer harness flags; each renders without a groff warning,
# and each option a --help prints, or driver/lf_flags.def lists, is an
# entry of its page's OPTIONS.
. "$(dirname "$0")/lib.sh"

# the install target over the build under test; MAKEFLAGS of an outer make
# (its jobserver) is not this make's
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" install BUILD="$FERRET_BUILD" \
	DESTDIR="$TMP/root" PREFIX=/usr >install.log 2>&1 ||
	{ tail -n 5 install.log >&2; fail "make install exited non-zero"; }
man1=$TMP/root/usr/share/man/man1
[ -L "$man1/ferret-c++.1" ] || fail "no ferret-c++.1 link"

# tags PAGE: the words of PAGE's .TP entries, unescaped, one a line, and
# the name of each -name=VALUE
tags() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1" | awk 'prev == ".TP" { gsub(/,/, " ");
		for (i = 1; i <= NF; i++) { print $i; if (split($i, p, "=") > 1) print p[1] } }
		{ prev = $0 }'
}

# check PAGE HELPFILE: PAGE renders cleanly and has an entry for each
# option of HELPFILE (a --help output: "  -x, --long VALUE  help" lines)
check() {
	page=$man1/$1.1
	[ -s "$page" ] || fail "$1.1 is not installed"
	head -n 1 "$page" | grep -q generated || fail "$1.1 does not say it is generated"
	groff -man -Tutf8 -ww -z "$page" 2>groff.err || fail "groff failed on $1.1"
	[ ! -s groff.err ] || { cat groff.err >&2; fail "groff warns about $1.1"; }
	tags "$page" >tags.txt
	awk '/^  -/ || /^      --/ { sub(/^ +/, ""); split($0, a, "  "); n = split(a[1], s, ", ");
		for (i = 1; i <= n; i++) { split(s[i], w, " "); print w[1] } }' "$2" >opts.txt
	[ -s opts.txt ] || fail "$2 lists no options"
	while read -r o; do
		grep -qxF -- "$o" tags.txt || fail "$1.1 has no entry for $o (from $2)"
	done <opts.txt
}

"$FERRET" --help >ferret.help
check ferret ferret.help
n=0
for c in $("$FERRET" --commands); do
	"$FERRET" "$c" --help >"$c.help"
	check "ferret-$c" "$c.help"
	n=$((n + 1))
done
[ "$n" -ge 7 ] || fail "ferret --commands lists $n commands"
"$FCC" --ferret-help >cc.help
check ferret-cc cc.help
grep -qx -- "--print-fuzzer-lib" tags.txt || fail "ferret-cc.1 misses --print-fuzzer-lib"

# the harness page: every row of lf_flags.def, as -name=VALUE
sed -n 's/^\(FLAG\|IGNORED\)(\([a-z_]*\),.*/  -\2  x/p' "$TOP/driver/lf_flags.def" >lf.help
check ferret-libfuzzer lf.help
grep -qx -- "-runs" tags.txt || fail "ferret-libfuzzer.1 misses -runs"
ls "$man1" | wc -l | grep -qx "$((n + 4))" || fail "unexpected pages: $(ls "$man1")"
