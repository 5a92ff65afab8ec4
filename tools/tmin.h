/*
 * tmin.h - shrinking one input while the program keeps behaving the same
 * (afl-tmin's stages), shared by `ferret tmin` and `ferret triage`. The
 * caller starts the target (replay_start) and sets the options; the dry
 * run decides the mode from how the input behaves:
 *   - crash mode (it crashes: a signal, a sanitizer's exit, with
 *     exit_is_crash any non-zero exit): a candidate is kept only when it
 *     crashes the same way: the same kind of end, signal and exit code and
 *     the same triage signature (src/triage.h: the error type or signal and
 *     the top frames in the program's code), so a cut that reaches another
 *     bug is not taken;
 *   - otherwise: a candidate is kept only when it does not crash and hits
 *     the same classified coverage map (edges_only: the same edges).
 * A timeout is never "the same".
 */
#ifndef FERRET_TMIN_H
#define FERRET_TMIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "target.h"

struct triage;

struct tmin {
	struct target t;        /* started by the caller */
	int edges_only;         /* -e: compare edges, not hit-count buckets */
	int exit_is_crash;      /* -x, or a libFuzzer harness: non-zero exits crash */
	FILE *log;              /* afl-tmin's progress lines; NULL: none */
	int crash_mode;         /* the input crashed: keep it crashing the same way */
	struct run_result want; /* crash mode: how the input crashed */
	struct triage *tri;     /* crash mode: signatures of crashes */
	size_t want_bug;        /* and the input's, as a bug of tri */
	uint8_t *want_map;      /* otherwise: its classified map */
	uint64_t execs;
	uint64_t fruitless_map, fruitless_crash, fruitless_hang;
};

/* Runs the input once and picks the mode: returns 1 (crash mode), 0 (it
 * does not crash) or -1 (it timed out: nothing to keep). Dies with one line
 * when the target cannot run. */
int tmin_dry_run(struct tmin *m, const uint8_t *buf, size_t len);

/* Shrinks buf (*len bytes) in place: the three stages again while any of
 * them changed it. */
void tmin_minimize(struct tmin *m, uint8_t *buf, size_t *len);

/* Crash mode: the input's signature (owned by m); else NULL. */
const char *tmin_signature(const struct tmin *m);

/* Frees what the dry run made, ready for the next input's; the target
 * and the options stay the caller's. */
void tmin_release(struct tmin *m);

#endif
