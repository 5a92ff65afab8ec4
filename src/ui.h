/*
 * ui.h - the status screen of `ferret fuzz`: AFL++'s full-screen view of
 * the run, drawn in place on stderr with plain ANSI escapes (no curses).
 * It owns the terminal while it is on (the alternate screen, the hidden
 * cursor, SIGWINCH) and gives it back on ui_stop(), at exit and on a
 * second stop signal. It only shows numbers the fuzzer already keeps:
 * fuzz.c fills a struct ui_view and decides when to draw.
 */
#ifndef FERRET_UI_H
#define FERRET_UI_H

#include <stdint.h>

#include "stats.h"

/* One frame: the stats of update_stats() plus what only fuzz.c knows. */
struct ui_view {
	const struct stats *s;
	uint64_t now_unix;
	const char *now_trying;   /* the current entry's op, or "seed"; NULL: none */
	uint64_t new_edges_on;    /* entries that brought a new edge, not just counts */
	uint64_t total_crashes;   /* crashes seen, saved or not */
	uint64_t total_tmouts;    /* timeouts seen, saved or not */
	double cur_density;       /* the current entry's edges over the target's, % */
	double count_coverage;    /* hit-count buckets seen per edge seen (bits/tuple) */
	double cpu_pct;           /* the engine's own CPU time over wall time, %; <0: unknown */
	int stopping;             /* a stop was asked for */
	const char *const *lines; /* more lines under the screen (-j: one per instance) */
	int n_lines;
};

/* Whether to draw the screen: stderr is a terminal (or force is set) and
 * no_ui is not. */
int ui_wanted(int no_ui, int force);

/* Enters the alternate screen and hides the cursor, watches SIGWINCH and
 * registers ui_stop() to run at exit. 0, or -1 (nothing changed) when the
 * terminal's size cannot be read and force is not set. */
int ui_start(void);

/* Redraws the whole screen from v (cursor home, every line cleared to its
 * end). A window smaller than the screen gets a compact version. No-op
 * when the screen is off. */
void ui_draw(const struct ui_view *v);

/* Gives the terminal back: the cursor shown, the main screen restored.
 * Idempotent; async-signal-safe (one write(2)), so a signal handler about
 * to _exit may call it. */
void ui_stop(void);

#endif
