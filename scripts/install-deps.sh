#!/bin/sh
# install-deps.sh - installs the Debian packages a build or test needs, and
# only those that are missing. Usage: scripts/install-deps.sh [PACKAGE...];
# with no argument it installs what `make` and `make test` need.
set -e
[ $# -gt 0 ] || set -- make gcc clang libcmocka-dev libxxhash-dev
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
