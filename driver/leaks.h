/*
 * leaks.h - libFuzzer's leak detection (-detect_leaks=1, its default), for
 * harnesses built with ASan or LSan: when a run allocated more than it
 * freed, the input runs once more with LeakSanitizer off, and if it still
 * does, LeakSanitizer looks for leaks now (a recoverable check, which
 * prints its own report). The fuzzing worker (worker.c) and the child that
 * runs files (main.c) use it the same way. Without a sanitizer's allocator
 * it is off and costs nothing; with one, an atomic count in the
 * sanitizer's hook on every malloc and free, and per run two counter reads
 * and a compare.
 */
#ifndef FERRET_LEAKS_H
#define FERRET_LEAKS_H

#include <stddef.h>
#include <stdint.h>

/* Counts allocations from now on if detect is set and the sanitizer
 * interfaces are there; returns whether leak detection is on. */
int lf_leaks_start(int detect);

/* The allocation counts when a run starts. */
struct lf_leak_mark {
	uint64_t mallocs, frees;
};
void lf_leak_mark(struct lf_leak_mark *k);

/* Whether the run since k allocated more than it freed (0 when off). */
int lf_leak_suspect(const struct lf_leak_mark *k);

/* Runs the harness again on a copy of data with LeakSanitizer off; when
 * that run too allocated more than it freed, asks LeakSanitizer. Returns 1
 * when it found a leak (its report is printed), else 0. */
int lf_leak_confirm(const uint8_t *data, size_t len);

/* libFuzzer's lines after a leak report, to fd (initial: found in the
 * initial corpus or in a file run). */
void lf_leak_say(int fd, int initial);

/*
 * LeakSanitizer's own check when a process ends normally, which libFuzzer
 * leaves to the sanitizer's atexit hook (whatever -detect_leaks says:
 * that flag is libFuzzer's per-input check only; ASAN_OPTIONS=
 * detect_leaks=0 turns this one off). ferret's processes leave with
 * _exit, so the worker and the child running files call it at their end.
 * Does nothing without LeakSanitizer. On a leak the sanitizer prints its
 * report (to report_fd when it is not -1), calls the death callback and
 * exits with its exit code (1 under ASan); otherwise it returns.
 */
void lf_leaks_at_exit(int report_fd);

#endif
