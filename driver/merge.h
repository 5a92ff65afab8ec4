/*
 * merge.h - the corpus tools of libFuzzer's command line, crash-resistant
 * (each input runs in a watched child): -merge=1 and -minimize_crash=1.
 */
#ifndef FERRET_MERGE_H
#define FERRET_MERGE_H

struct lf_opts;

/* -merge=1 OUT IN...: copies to OUT the inputs of IN... adding coverage
 * features to OUT's (greedy set cover). Inputs that crash, hang or run out
 * of memory are skipped. Returns the process exit code (0). */
int lf_merge(const struct lf_opts *o);

/* -minimize_crash=1 FILE: shrinks FILE while it still crashes, writes the
 * result as a minimized-from- artifact. Returns 0, or 1 when FILE does not
 * crash or the result cannot be written. */
int lf_minimize_crash(const struct lf_opts *o);

#endif
