#!/bin/sh
# t3009: the status screen (src/ui.c). `ferret fuzz` in a detached tmux
# pane (a terminal 100x30): the screen shows AFL++'s labels while it runs;
# when the run ends the terminal is restored (the pane shows the plain
# summary line, not the screen). With AFL_NO_UI=1, and with --no-ui, the
# pane shows the plain status lines instead.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || fail "tmux is not installed (scripts/install-deps.sh)"

build classify classify.c
seeds in 'a1
'
sess="ferret-t3009-$$"
# Each pane gets a tmux server of its own (a socket in $TMP): one shared
# server, stopped by the kill of its last session, could still be exiting
# when the next pane connects ("server exited unexpectedly"), and the
# default socket is every other tmux user's too.
sock=
stop_servers() {
	for s in "$TMP"/tmux.*; do
		[ ! -S "$s" ] || tmux -S "$s" kill-server 2>/dev/null || true
	done
	true
}
trap 'stop_servers; rm -rf "$TMP"' EXIT

# pane ENV ARGS...: starts `ferret fuzz ARGS` in a new 100x30 session with
# the environment ENV ("" for none); it runs for about 2 s, then the pane
# stays 5 s more
pane() {
	env=$1
	shift
	[ -z "$sock" ] || tmux -S "$sock" kill-server 2>/dev/null || true
	sock="$TMP/tmux.$(date +%s%N)"
	tmux -S "$sock" new-session -d -s "$sess" -x 100 -y 30 \
		"cd '$TMP' && env FERRET_NO_AFFINITY=1 $env timeout 10 '$FERRET' fuzz -V 2 -E 2000000 $* -- '$TMP/classify'; sleep 5"
}

# wait_for PATTERN TENTHS: until the pane shows PATTERN, at most TENTHS/10 s
wait_for() {
	i=0
	while [ $i -lt "$2" ]; do
		tmux -S "$sock" capture-pane -p -t "$sess" >pane.txt 2>/dev/null || true
		grep -Eq -- "$1" pane.txt && return 0
		sleep 0.1
		i=$((i + 1))
	done
	cat pane.txt >&2
	fail "the pane did not show '$1' within $(($2 / 10)) s"
}

pane "" -i in -o out -s 1
wait_for 'exec speed' 30
for label in 'run time' 'last new find' 'last saved crash' 'corpus count' 'saved crashes' \
	'exec speed' 'map density' 'count coverage' 'favored items' 'total tmouts' 'levels' \
	'own finds' 'stability' 'unique bugs' 'pending' 'imported'; do
	assert_grep "$label" pane.txt
done
assert_no_grep '^ferret: \[' pane.txt
wait_for '^ferret: stopped after [0-9]+ executions' 40
assert_no_grep 'process timing' pane.txt

pane "AFL_NO_UI=1" -i in -o out2 -s 1
wait_for '^ferret: \[[0-9]+s\] execs [0-9]+' 30
assert_no_grep 'process timing|exec speed' pane.txt

pane "" --no-ui -i in -o out3 -s 1
wait_for '^ferret: \[[0-9]+s\] execs [0-9]+' 30
assert_no_grep 'process timing|exec speed' pane.txt
stop_servers
