/*
 * child.h - fork a child and watch it: the one place that owns a child's
 * life for the libFuzzer driver (supervisor, merge, file replay) and for
 * FERRET_TEST binaries (replay, shrinking). The child leads its own
 * process group; the watcher enforces a per-input deadline (on a stalled
 * execution counter in shared memory when the child has one, else on wall
 * time), an RSS limit and a total budget with a grace period, kills the
 * whole group, reaps every process of the group it inherits (it is their
 * subreaper), and says how the child ended in one classification that the
 * fork-server client (target.c) shares. It does not decide what an ending
 * means (a crash artifact, a skipped input, a failed test): callers do.
 */
#ifndef FERRET_CHILD_H
#define FERRET_CHILD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The exit code MSan is told to use (MSAN_OPTIONS=exit_code=...), so that a
 * report is told apart from an ordinary exit, as AFL does. */
#define CHILD_MSAN_EXIT_CODE 86

/* How a child ended, from the first that applies. */
enum child_end {
	CHILD_EXITED,      /* exit(exit_code), a code that is no sanitizer's */
	CHILD_SIGNALED,    /* killed by a signal (signal) that the watcher did not send */
	CHILD_SANITIZER,   /* a sanitizer report: the died flag, or CHILD_MSAN_EXIT_CODE */
	CHILD_TIMEOUT,     /* killed: one input ran past timeout_ms */
	CHILD_OOM,         /* killed: RSS above rss_mb; or the oom flag was set */
	CHILD_OVERTIME,    /* killed: ran past total_ms + grace_ms (not a finding) */
	CHILD_INTERRUPTED, /* killed because this process got SIGINT, SIGTERM or SIGHUP */
};

/*
 * What to enforce, and what the child shares to help. Zero means "none"
 * for every limit; the pointers are optional (NULL) and point into memory
 * the child writes (MAP_SHARED), read with volatile loads, never trusted
 * beyond their values.
 */
struct child_watch {
	/* Per-input deadline. With exec_seq: the child is overdue when
	 * *exec_seq has not moved for timeout_ms while *running is non-zero
	 * (start-up and time between inputs do not count). Without: timeout_ms
	 * of wall time from the fork. */
	uint64_t timeout_ms;
	uint64_t rss_mb;   /* resident set of the child, sampled every CFG_RSS_SAMPLE_MS */
	uint64_t total_ms; /* the child should stop by itself within this */
	uint64_t grace_ms; /* ... and is killed grace_ms later */
	const volatile uint64_t *exec_seq; /* bumped by the child as each input starts */
	const volatile uint32_t *running;  /* non-zero while an input runs */
	const volatile uint32_t *died;     /* set by a sanitizer's death callback */
	const volatile uint32_t *oom;      /* set when an allocation broke the limit */
};

struct child_result {
	enum child_end end;
	int signal;      /* the signal that ended it (ours too), else 0 */
	int exit_code;   /* when it exited, else 0 */
	int status;      /* the raw wait status */
	uint64_t limit;  /* TIMEOUT/OVERTIME: the limit in ms; OOM: the limit in MiB */
	size_t rss_mb;   /* OOM by sampling: the RSS seen */
	uint64_t run_ms; /* fork to end */
	long maxrss_kb;  /* its peak resident set (wait4's ru_maxrss: it and the
			  * children it waited for), 0 if unknown */
};

/* One watched child. Fields are the watcher's; read pid and res only. */
struct child {
	pid_t pid; /* the child, leader of process group pid; 0 once reaped */
	struct child_watch w;
	int pidfd;
	int killed; /* enum child_end the watcher killed it for, or -1 */
	uint64_t start_ms, seen_seq, stall_since_ms, next_rss_ms;
	struct child_result res;
};

/*
 * Forks a watched child, as fork() does: returns 0 in the child, the pid in
 * the parent, -1 (errno set) when fork fails. The child is put in its own
 * process group (both sides call setpgid, so there is no window), gets the
 * signal dispositions this process had before any child_fork, and dies
 * with SIGKILL if the watcher dies (PR_SET_PDEATHSIG). The parent becomes a
 * subreaper, so the child's orphans come back to it, and while any child
 * is watched SIGINT, SIGTERM and SIGHUP first kill every watched group,
 * then get their previous disposition (an ignored one is left alone). A
 * SIGCHLD set to SIG_IGN is reset to SIG_DFL, or the kernel would reap the
 * child itself. stdio is flushed first. w is copied.
 */
pid_t child_fork(struct child *c, const struct child_watch *w);

/*
 * Checks the limits once, killing the group when one is broken. Returns 0
 * while the child runs; 1 when it has ended: then every process of its
 * group has been killed and reaped (those that left the group with setsid
 * or setpgid are not followed), and c->res is filled. Calling it again
 * after the end returns 1 and changes nothing. Never blocks long.
 */
int child_poll(struct child *c);

/* Sleeps until the child ends or max_ms pass, whichever is first (a pidfd
 * when the kernel has them, else short sleeps). Does not reap. */
void child_idle(struct child *c, unsigned max_ms);

/* child_poll and child_idle until the end; returns &c->res. */
const struct child_result *child_wait(struct child *c);

/*
 * Classifies a wait status, the one classification of engine and driver:
 * CHILD_SIGNALED (*code = the signal), CHILD_SANITIZER (*code = the exit
 * code of a sanitizer report) or CHILD_EXITED (*code = the exit code).
 */
enum child_end child_classify(int status, int *code);

/* "exit 3", "signal 6 (SIGABRT)", "sanitizer (exit 86)", "timeout after
 * 10 s", "out of memory (2100 MiB > 2048 MiB)", ... Returns buf. */
const char *child_describe(const struct child_result *r, char *buf, size_t cap);

/* Resident set size of a process in MiB (pid 0: this one); 0 if unknown. */
size_t child_rss_mb(pid_t pid);

#endif
