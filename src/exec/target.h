/*
 * target.h - runs an instrumented program: spawns it with the shared region
 * and control pipes, completes the handshake, and runs one input at a time
 * through the fork server (fork per input) or a persistent child (many
 * inputs per process, input in shared memory). Owns timeouts (a deadline on
 * the status pipe, then SIGKILL), the memory limit and crash classification.
 * It speaks two protocols: ferret's (common/proto.h) and, for a binary
 * built by afl-cc (found by signature), AFL++'s (afl.h), with the same
 * guarantees. It does not decide what is interesting; the fuzz loop does.
 */
#ifndef FERRET_TARGET_H
#define FERRET_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "afl.h"
#include "shm.h"

enum run_kind {
	RUN_OK,    /* exited (any code that is not a sanitizer's) or finished an iteration */
	RUN_CRASH, /* killed by a signal, or a sanitizer's exit code */
	RUN_HANG,  /* exceeded the timeout and was killed */
};

struct run_result {
	enum run_kind kind;
	int signal;       /* RUN_CRASH: the signal, or 0 for an exit-code crash */
	int exit_code;    /* RUN_OK/RUN_CRASH by exit code */
	int broke_server; /* RUN_CRASH: it killed the fork server or broke its pipes, twice */
	uint64_t exec_ns;
};

enum target_flags {
	TARGET_QUIET = 1u << 0,         /* send the target's stdout/stderr to /dev/null */
	TARGET_PERSISTENT = 1u << 1,    /* binary uses FERRET_LOOP (found by signature) */
	TARGET_DEFERRED = 1u << 2,      /* binary uses FERRET_INIT */
	TARGET_VALUE_PROFILE = 1u << 3, /* ask the runtime for value-profile counters */
	TARGET_AFL = 1u << 4, /* an AFL/AFL++ binary (found by signature): AFL's protocol */
};

struct target {
	/* set by target_init, may be adjusted before target_start */
	char **argv;      /* argv with "@@" replaced by input_path; owned */
	char *input_path; /* where fork-mode inputs are written; owned */
	int use_stdin;    /* no "@@": the input is the child's stdin */
	uint32_t timeout_ms;
	uint64_t mem_limit_mb; /* 0: none */
	unsigned flags;        /* enum target_flags */

	/* state */
	struct shm_region shm;
	pid_t server_pid;
	int ctl_fd, st_fd, input_fd, devnull;
	uint8_t *map;
	size_t map_bytes;
	/* the counters the last run touched (cov.h): the region's touch list
	 * when the target keeps one (FERRET_RT_TOUCH), else n is NULL and
	 * the map is read whole (an AFL binary) */
	struct cov_touch touch;
	uint64_t clears; /* runs of a threaded target since the start (cov.h) */
	uint32_t edges;
	uint32_t rt_flags;
	uint64_t restarts;
	uint32_t seq;     /* the last input's sequence number (proto.h) */
	int start_status; /* FERRET_EEARLY: the wait status it ended with, or -1 */
	uint64_t stale;   /* deaths of earlier inputs' children, after their report */

	/* TARGET_AFL only */
	struct afl_shm afl;      /* the map and test-case segments, the autodictionary */
	struct afl_hello hello;  /* what the server offered at its last start */
	uint32_t afl_was_killed; /* the last run timed out: the server may hold a dead child */
	pid_t afl_stopped;       /* a persistent child stopped after its input, or 0 */
};

/*
 * Prepares a target from its command line (argv is copied; "@@" anywhere in
 * an argument becomes input_path). Checks that argv[0] exists and is
 * executable, and reads the binary for the persistent/deferred markers,
 * ferret's or AFL's (then TARGET_AFL is set: a binary with AFL's runtime
 * and not ferret's).
 * Returns 0, FERRET_ESPAWN (missing/not executable) or FERRET_ENOMEM.
 */
int target_init(struct target *t, char *const *argv, const char *input_path);

/*
 * Starts the program and completes the handshake. Returns 0,
 * FERRET_ENOTINST (it ran and exited 0 without a handshake, or has no
 * edges), FERRET_EEARLY (it died or failed before the handshake: see
 * start_status), FERRET_EMAPSIZE, FERRET_EVERSION, FERRET_ESPAWN or
 * FERRET_EPROTO (no word in time).
 */
int target_start(struct target *t);

/*
 * What went wrong when target_start returned err, for a person: "it is not
 * instrumented: ...", "it was killed by signal 11 (SIGSEGV) before its
 * fork server started", ... Returns buf.
 */
const char *target_start_error(const struct target *t, int err, char *buf, size_t cap);

/*
 * Runs one input. Clears the counters the last run touched, delivers the input, waits for the
 * status with the timeout, and fills *res. Restarts the server if it died,
 * and runs the input again; when that kills or breaks the server too, the
 * input is a crash (broke_server) and the next run starts a new server.
 * Returns 0, or a negative ferret_err when the target cannot be (re)started.
 * The counters stay in t->map (raw hit counts) until the next run.
 */
int target_run(struct target *t, const uint8_t *buf, size_t len, struct run_result *res);

/* Kills and reaps the processes the target started and left behind: this
 * process is their subreaper (target_start), so they are its children once
 * their parent died, even in a session of their own. A scan of /proc;
 * done at each restart and stop, and every few seconds by the caller. */
void target_reap_orphans(struct target *t);

/*
 * For a signal handler (async-signal-safe): kills the running server's
 * process group at once, so the input in flight ends now, not at its
 * timeout, and makes every later target_run return FERRET_EINTR instead of
 * starting a new server. One target per process may be interrupted.
 */
void target_interrupt(void);

/* Stops the server and its child, frees everything; safe to call twice. */
void target_release(struct target *t);

/* Human description of a result: "exit 0", "signal 11 (SIGSEGV)", "timeout". */
const char *target_describe(const struct run_result *res, char *buf, size_t cap);

/* After a crash: the type of the uncaught C++ exception that caused it, as
 * the target's runtime wrote it in the shared header (printable characters
 * only, at most cap - 1), or "" when there was none; clears it. */
const char *target_crash_note(struct target *t, char *buf, size_t cap);

/* After a crash: the frames the target's runtime recorded for this input
 * (proto.h crash_pc: module-relative, innermost first), at most cap of
 * them; in *sig their signal, -1 when a sanitizer's report came first, 0
 * when nothing was recorded (a handler of the program's own, a target
 * without ferret's runtime); in kind the sanitizer's name for the error
 * ("" when it gave none; printable, at most kind_cap - 1). Returns how many
 * frames; clears them. */
unsigned target_crash_frames(struct target *t, uint64_t *pcs, unsigned cap, int *sig, char *kind,
			     size_t kind_cap);

#endif
