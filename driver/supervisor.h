/*
 * supervisor.h - the process a libFuzzer-style harness (or `./tests
 * --fuzz`) fuzzes from: forks a worker, watches it, writes the corpus and
 * the artifacts. The supervisor side of inproc.h; it knows the worker only
 * through that contract.
 */
#ifndef FERRET_SUPERVISOR_H
#define FERRET_SUPERVISOR_H

#include <sys/types.h>

#include "inproc.h"

struct lf_opts;

/* libFuzzer's exit code after SIGINT or SIGTERM (its InterruptExitCode). */
#define LF_INTERRUPT_EXIT_CODE 72

/*
 * The signals of the libFuzzer command line, as real libFuzzer takes them,
 * installed even over a disposition the shell set to SIG_IGN (libFuzzer
 * does): SIGINT and SIGTERM are remembered (lf_interrupted; while a child
 * is watched, child.c kills its group first) and the caller stops with
 * lf_say_interrupted and LF_INTERRUPT_EXIT_CODE; SIGUSR1 and SIGUSR2 print
 * "INFO: signal received, trying to exit gracefully" and set sh->stop (sh
 * may be NULL), which the worker reads between inputs.
 * lf_signals_default puts the four back to SIG_DFL (in forked children).
 */
void lf_signals_install(struct lf_shared *sh);
void lf_signals_default(void);
int lf_interrupted(void);      /* the signal (SIGINT, SIGTERM), or 0 */
void lf_say_interrupted(void); /* "==PID== libFuzzer: run interrupted; exiting" */

/*
 * Fuzzes with o: reads the corpus directories, forks worker (which must
 * speak inproc.h), saves the entries it hands over to o->dirs[0] as they
 * come, and when it dies writes and reports a crash-/timeout-/oom-
 * artifact (artifact.h), then forks another or stops as -fork and
 * -ignore_* say. Prints -print_final_stats however it ends (with -fork,
 * into each job's log, as libFuzzer). Returns the process exit code: 0
 * when the budget was spent or SIGUSR1/SIGUSR2 asked to stop,
 * LF_INTERRUPT_EXIT_CODE after SIGINT or SIGTERM, else -error_exitcode,
 * -timeout_exitcode or LF_OOM_EXIT_CODE (with -fork: the last job's).
 */
int lf_supervise(const struct lf_opts *o, lf_worker_fn *worker);

/*
 * A worker's end that was not its budget spent (the caller checks that
 * first), reported as lf_supervise reports it: a crash, a timeout, an
 * out-of-memory, a leak or an exit of the harness gets libFuzzer's lines
 * and its unit written as an artifact (artifact.h). sh, max_len: the
 * worker's shared area and its input's size; pid: the worker's. Returns
 * the process exit code: -error_exitcode, -timeout_exitcode,
 * LF_OOM_EXIT_CODE or a sanitizer's; the harness's own after it took the
 * crash state (not reported); 0 when the worker ran out of time (not a
 * finding); 1 when a signal to this process killed it.
 */
struct child_result;
int lf_report_death(const struct lf_opts *o, struct lf_shared *sh, size_t max_len,
		    const struct child_result *r, pid_t pid);

/* libFuzzer's first lines: picks a seed when o has none (-seed=0) and
 * prints it, then the instrumented modules ("Loaded N modules"). */
void lf_say_start(struct lf_opts *o);

#endif
