#!/bin/sh
# install-deps.sh - installs the Debian packages a build or test needs, and
# only those that are missing. Usage: scripts/install-deps.sh [PACKAGE...];
# with no argument it installs what every make target but `make bench` needs
# (bench/*.sh ask for AFL++, LLVM and python3-hypothesis themselves).
#
# Every make target that compiles runs this first, so the check must stay
# cheap: one dpkg-query over the whole list (a few ms), and apt-get only when
# something is missing. Without dpkg-query (not Debian) it does nothing and
# leaves the compiler to say what is missing.
set -e
# make, gcc, libxxhash-dev: the build. clang: ferret-cc's default compiler,
# its libFuzzer and sanitizer runtimes (libclang-rt-14-dev, only recommended
# by clang) and its C++ library (libstdc++-12-dev comes with g++ too).
# llvm: llvm-symbolizer, which sanitizer reports need for file:line.
# libdw-dev: elfutils' libdw, which symbolizes crash frames (src/triage.c).
# libcmocka-dev: unit tests. cmake, g++, procps (ps): end-to-end tests; afl++:
# the tests that run afl-fuzz on ferret-cc binaries and ferret on afl-cc ones;
# libtool-bin: the libtool build of t1009; tmux: the terminal of t3009;
# groff-base: t0003 renders the man pages.
[ $# -gt 0 ] || set -- make gcc g++ clang clang-format libclang-rt-14-dev llvm libcmocka-dev libxxhash-dev libdw-dev cmake procps afl++ libtool-bin tmux groff-base
command -v dpkg-query >/dev/null 2>&1 || exit 0
installed=" $(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null |
	sed -n 's/^ii  *//p' | tr '\n' ' ')"
missing=
for p in "$@"; do
	case $installed in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -n "$missing" ] || exit 0
sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "install-deps: missing$missing; install them as root: apt-get install$missing" >&2
		exit 1
	}
	sudo=sudo
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
