#!/bin/sh
# deque.sh - `bench/structured.sh deque`: structured vs byte-level fuzzing on
# the planted bug of examples/deque, under the names it had before
# structured.sh took the example as a parameter:
#   DEQUE_REPS, DEQUE_LIMIT, DEQUE_RUNS, DEQUE_CORPUS_SECONDS, DEQUE_BRIDGE,
#   DEQUE_WORK   as STRUCT_REPS ... STRUCT_WORK (see structured.sh)
set -eu
[ -z "${DEQUE_REPS:-}" ] || export STRUCT_REPS="$DEQUE_REPS"
[ -z "${DEQUE_LIMIT:-}" ] || export STRUCT_LIMIT="$DEQUE_LIMIT"
[ -z "${DEQUE_RUNS:-}" ] || export STRUCT_RUNS="$DEQUE_RUNS"
[ -z "${DEQUE_CORPUS_SECONDS:-}" ] || export STRUCT_CORPUS_SECONDS="$DEQUE_CORPUS_SECONDS"
[ -z "${DEQUE_BRIDGE:-}" ] || export STRUCT_BRIDGE="$DEQUE_BRIDGE"
[ -z "${DEQUE_WORK:-}" ] || export STRUCT_WORK="$DEQUE_WORK"
exec "$(dirname "$0")/structured.sh" deque "$@"
