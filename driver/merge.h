/*
 * merge.h - the corpus tools of libFuzzer's command line, crash-resistant
 * (each input runs in a watched child): -merge=1, -minimize_crash=1 and
 * -cleanse_crash=1.
 */
#ifndef FERRET_MERGE_H
#define FERRET_MERGE_H

struct lf_opts;

/* -merge=1 OUT IN...: copies to OUT the inputs of IN... adding coverage
 * features to OUT's (greedy set cover). Inputs that crash, hang or run out
 * of memory are skipped. Returns the process exit code (0). */
int lf_merge(const struct lf_opts *o);

/* -minimize_crash=1 FILE: shrinks FILE while it still crashes, as
 * libFuzzer does: each step runs this program again as a command, on the
 * current input and then with -minimize_crash_internal_step=1, whose
 * smaller crash is written as the next minimized-from-<sha1 of the
 * current input> (or -exact_artifact_path). Returns 0, or 1 when FILE
 * does not crash or is not one file. */
int lf_minimize_crash(const struct lf_opts *o);

/* -minimize_crash_internal_step=1 FILE: one such step. Reports the first
 * smaller input that crashes as a crash found fuzzing (the artifact to
 * -exact_artifact_path) and returns its exit code; 0 when none crashed
 * within -runs and -max_total_time, or FILE has under 2 bytes. */
int lf_minimize_crash_step(const struct lf_opts *o);

/* -cleanse_crash=1 FILE -exact_artifact_path=P: replaces each byte of
 * FILE by ' ' or 0xff when the input still crashes with it (libFuzzer's
 * CLEANSE lines), writing the input to P after each replacement. Returns
 * 0, or 1 without one file and P, or when P cannot be written; exit 72
 * after SIGINT or SIGTERM. */
int lf_cleanse_crash(const struct lf_opts *o);

#endif
