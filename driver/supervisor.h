/*
 * supervisor.h - the process a libFuzzer-style harness (or `./tests
 * --fuzz`) fuzzes from: forks a worker, watches it, writes the corpus and
 * the artifacts. The supervisor side of inproc.h; it knows the worker only
 * through that contract.
 */
#ifndef FERRET_SUPERVISOR_H
#define FERRET_SUPERVISOR_H

#include "inproc.h"

struct lf_opts;

/*
 * Fuzzes with o: reads the corpus directories, forks worker (which must
 * speak inproc.h), saves the entries it hands over to o->dirs[0], and when
 * it dies writes and reports a crash-/timeout-/oom- artifact (artifact.h),
 * then forks another or stops as -fork and -ignore_* say. Returns the
 * process exit code: 0 when the budget was spent, else -error_exitcode,
 * -timeout_exitcode or LF_OOM_EXIT_CODE.
 */
int lf_supervise(const struct lf_opts *o, lf_worker_fn *worker);

#endif
