/*
 * worker.h - the in-process fuzzing loop of a libFuzzer-style harness or a
 * FERRET_TEST: the worker side of inproc.h. It knows nothing of the
 * supervisor beyond that contract.
 */
#ifndef FERRET_WORKER_H
#define FERRET_WORKER_H

#include "inproc.h"

/* Runs the fuzzing loop in this process (the worker); see lf_worker_fn in
 * inproc.h. Never returns. */
lf_worker_fn lf_worker __attribute__((noreturn));

/* AFL_CUSTOM_MUTATOR_LIBRARY in libFuzzer mode: loads the libraries once,
 * before any worker starts (one error line and exit 1 when one cannot be
 * used); every worker then runs them in its loop. argv: the harness's. */
void lf_custom_load(char *const *argv, const char *corpus_dir);

/* Under a sanitizer (its malloc hooks), the -malloc_limit_mb check
 * (-rss_limit_mb when 0) for this process: an allocation over it sets
 * *oom and *size and leaves with -error_exitcode. Used by the worker and
 * by the child that runs files (main.c). */
void lf_malloc_limit_start(const struct lf_opts *o, volatile uint32_t *oom,
			   volatile uint64_t *size);

#endif
