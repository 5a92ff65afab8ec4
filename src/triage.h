/*
 * triage.h - crash signatures and the bugs index (issue 12, first layer).
 *
 * A crash's signature is its kind (a sanitizer's error type, the signal's
 * name, or "sanitizer") and the top three frames in the target's own code,
 * which the runtime recorded as module-relative addresses (proto.h
 * crash_pc) and which are symbolized here with elfutils' libdw into
 * "function file:line": "SIGSEGV: parse_a t.c:12 / main t.c:30 / ...".
 * Crashes with the same signature are one bug. The module keeps the bugs
 * of one instance and their index file OUT/NAME/bugs, one line per bug:
 *   signature TAB count TAB first-seen unix time TAB first-seen execs TAB
 *   smallest reproducer's file name (in crashes/, "-" when none was saved)
 * It does not save crashes (fuzz.c does, in AFL's layout) and never runs
 * per execution: only per crash, and symbolizes each distinct set of
 * frames once.
 */
#ifndef FERRET_TRIAGE_H
#define FERRET_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

struct triage;

/* A triage for the program at exe_path whose index lives in dir/bugs; the
 * index already there (a resumed run, `ferret triage`) is loaded; exe_path
 * NULL: a reader of the index that files no crash; dir NULL: no index, only
 * signatures (`ferret tmin`). Returns NULL when out of memory. Both strings
 * are copied. */
struct triage *triage_new(const char *exe_path, const char *dir);
void triage_free(struct triage *tr);

/*
 * Files one crash: signal is the signal it died of (-1 or 0: a sanitizer's
 * report), kind the sanitizer's name for the error ("" or NULL: none),
 * pcs its n recorded frames (target_crash_frames). Counts it under its
 * bug, made on first sight with execs and the current time. Returns 1 if
 * the bug is new, else 0; *bug is its index.
 */
int triage_crash(struct triage *tr, int signal, const char *kind, const uint64_t *pcs, unsigned n,
		 uint64_t execs, size_t *bug);

/* The bug's signature; owned by tr, valid until triage_free. */
const char *triage_signature(const struct triage *tr, size_t bug);

/* Whether a reproducer of len bytes would be the bug's smallest (or its
 * first); then triage_reproducer records it once saved as name. */
int triage_wants(const struct triage *tr, size_t bug, size_t len);
void triage_reproducer(struct triage *tr, size_t bug, const char *name, size_t len);

/* Bugs known, and of each: how many crashes had its signature, and the
 * file name of its smallest saved reproducer (NULL: none). */
size_t triage_bugs(const struct triage *tr);
uint64_t triage_count(const struct triage *tr, size_t bug);
const char *triage_repro(const struct triage *tr, size_t bug);

/* Rewrites dir/bugs (a temporary file, then rename) when something changed
 * since the last write. Returns 0 or a negative ferret_err (logged). */
int triage_write(struct triage *tr);

#endif
