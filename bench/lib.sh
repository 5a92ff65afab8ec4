# lib.sh - sourced by the bench scripts: process hygiene, and Debian
# sources for the scripts that build real libraries.
#
# Process hygiene: each fuzzer runs in a session of its own (CUR, its pid),
# killed as a group afterwards, and no process of a binary built under $B
# may outlive a run. The sourcing script defines say() and die() and sets B
# before it calls these.
# (dash's kill takes no "--": a negative pid right after the signal is a group)
#
# Debian sources (real.sh, shlib.sh): debsrc_enable once, then srcdir PKG
# fetches bookworm's source of PKG into $SRC (set by the caller) with
# `apt-get source`, once, and srcver PKG names the version fetched.

CUR=

cleanup() {
	if [ -n "$CUR" ]; then
		kill -KILL "-$CUR" 2>/dev/null || true
		CUR=
	fi
}

# strays: pids of processes still running one of the binaries built here (a
# fuzzer may move its fork server to a session of its own)
strays() {
	ps -eo pid=,args= | awk -v b="$B/" 'index($2, b) == 1 { print $1 }'
}

# reap_strays WHAT: waits up to 5 s for strays to go, then kills them
reap_strays() {
	i=0
	while [ -n "$(strays)" ] && [ $i -lt 10 ]; do
		sleep 0.5
		i=$((i + 1))
	done
	if [ -n "$(strays)" ]; then
		say "warning: target processes left after $1: $(strays | tr '\n' ' ')- killing them"
		# shellcheck disable=SC2046
		kill -KILL $(strays) 2>/dev/null || true
	fi
}

# run_fuzzer LOG CMD...: CMD under `timeout $GUARD` (seconds, set by the
# caller) in a new session (cwd: LOG's directory); afterwards nothing of
# that session nor any built binary may run. Sets RC to CMD's exit status.
run_fuzzer() {
	log=$1
	shift
	(cd "$(dirname "$log")" && exec setsid timeout -k 5 "$GUARD" "$@") >"$log" 2>&1 &
	CUR=$!
	RC=0
	wait "$CUR" || RC=$?
	cleanup
	reap_strays "'$1'"
	[ "$RC" -ne 124 ] || say "warning: '$1' hit the ${GUARD}s safety timeout"
}

make_all() { # make_all MAKEFILE LOG: builds its all target, $JOBS at a time, or dies with the log's end
	make -s -j"$JOBS" -f "$1" all >"$2" 2>&1 || {
		tail -n 30 "$2" >&2
		die "build failed: see $2"
	}
}

getstat() { # getstat FILE KEY: a value of an AFL-style fuzzer_stats file
	awk -F: -v k="$2" '{ key = $1; gsub(/ /, "", key) } key == k { v = $2; gsub(/^ +| +$/, "", v); print v; exit }' "$1"
}

trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

# --- Debian sources ---------------------------------------------------------------
SRCLIST=/etc/apt/sources.list.d/ferret-src.list
# debline: "URI SIGNED-BY" of the first deb source for bookworm main, from
# one-line lists or deb822 .sources files
debline() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" {
			sb = ""; i = 2
			if ($2 ~ /^\[/) {
				while (i <= NF) {
					if ($i ~ /signed-by=/) { sb = $i; sub(/.*signed-by=/, "", sb); sub(/\]$/, "", sb) }
					if ($i ~ /\]$/) { i++; break }
					i++
				}
			}
			uri = $i; suite = $(i + 1); main = 0
			for (j = i + 2; j <= NF; j++) if ($j == "main") main = 1
			if (suite == "bookworm" && main) { print uri, (sb == "" ? "-" : sb); exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'function flush() {
				if (types ~ /(^| )deb( |$)/ && suites ~ /(^| )bookworm( |$)/ && comps ~ /(^| )main( |$)/ && uri != "")
					{ print uri, (sb == "" ? "-" : sb); found = 1; exit }
				types = suites = comps = uri = sb = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^Types:/ { types = $0; sub(/^Types:[ \t]*/, "", types) }
			/^URIs:/ { uri = $2 }
			/^Suites:/ { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
			/^Components:/ { comps = $0; sub(/^Components:[ \t]*/, "", comps) }
			/^Signed-By:/ { sb = $2 }
			END { if (!found) flush() }' "$f"
	done
}
have_debsrc() {
	grep -Eqs '^[[:space:]]*deb-src[[:space:]].*[[:space:]]bookworm[[:space:]].*main' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN { RS = "" } /Types:[^\n]*deb-src/ && /Suites:[^\n]*bookworm( |\n|$)/ && /Components:[^\n]*main/ { ok = 1 } END { exit !ok }' "$f" && return 0
	done
	return 1
}
# debsrc_enable: makes `apt-get source` work for bookworm main. Adds a
# deb-src line derived from the first configured deb source (in
# $SRCLIST) when there is none, and updates the package lists when the
# source index is missing.
debsrc_enable() {
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	if ! have_debsrc; then
		line=$(debline | head -n 1)
		[ -n "$line" ] || die "no 'deb ... bookworm main' source configured to derive a deb-src line from"
		uri=${line% *}
		sb=${line#* }
		opt=
		[ "$sb" = - ] || opt="[signed-by=$sb] "
		say "adding 'deb-src ${opt}$uri bookworm main' to $SRCLIST"
		echo "deb-src ${opt}$uri bookworm main" | $sudo tee "$SRCLIST" >/dev/null
		$sudo apt-get update -qq >/dev/null
	elif ! ls /var/lib/apt/lists/*_bookworm_main_source_Sources* >/dev/null 2>&1; then
		$sudo apt-get update -qq >/dev/null
	fi
}

# srcdir PKG: the unpacked source tree of PKG in $SRC (apt-get source once;
# .src-ok marks a complete unpack)
srcdir() {
	d=$(ls -d "$SRC/$1"-[0-9]*/ 2>/dev/null | head -n 1)
	if [ -z "$d" ] || [ ! -f "$d/.src-ok" ]; then
		rm -rf "$SRC/$1"-[0-9]* "$SRC/$1"_*
		say "apt-get source $1"
		(cd "$SRC" && apt-get source -qq "$1" >/dev/null 2>"$SRC/$1.apt.log") ||
			die "apt-get source $1 failed: $(tail -n 3 "$SRC/$1.apt.log")"
		d=$(ls -d "$SRC/$1"-[0-9]*/ | head -n 1)
		touch "$d/.src-ok"
	fi
	echo "${d%/}"
}
srcver() { # the Debian version apt-get source fetched
	ls "$SRC/$1"_*.dsc 2>/dev/null | head -n 1 | sed 's/.*_\(.*\)\.dsc$/\1/'
}
