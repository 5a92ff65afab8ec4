#!/bin/sh
# demo.sh BUILD_DIR - the README's first command (`make demo`) ends here:
# instrument examples/farid with ferret-cc, fuzz it from one empty seed
# until the crash is found, then reproduce the saved crash with `ferret run`.
set -eu
build=${1:?usage: demo.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
work=${FERRET_DEMO_DIR:-$(mktemp -d /tmp/ferret-demo.XXXXXX)}
mkdir -p "$work/seeds"
: >"$work/seeds/empty"
rm -rf "$work/out"

"$build/bin/ferret-cc" -O0 -g -o "$work/farid" "$here/farid.c"
echo "== fuzzing $work/farid (stops at the first crash, at most 10 minutes)"
"$build/bin/ferret" fuzz -i "$work/seeds" -o "$work/out" -C -V 600 -- "$work/farid"

crash=$(ls "$work/out/default/crashes/" | grep '^id:' | head -n 1 || true)
if [ -z "$crash" ]; then
	echo "demo: no crash found within the time limit" >&2
	exit 1
fi
echo "== the crash was saved as $work/out/default/crashes/$crash"
printf '== its bytes: '
od -An -c "$work/out/default/crashes/$crash" | head -n 2
echo "== reproducing it:"
if "$build/bin/ferret" run -- "$work/farid" -- "$work/out/default/crashes/$crash"; then
	echo "demo: the saved crash did not reproduce" >&2
	exit 1
fi
echo "== done: the crash reproduces"
