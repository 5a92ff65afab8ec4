/*
 * driver.h - what the files of the libFuzzer-compatible driver share.
 *
 * A harness linked with `ferret-cc --fuzzer` gets this driver's main().
 * The process that starts is the supervisor: it parses flags, runs
 * LLVMFuzzerInitialize once, and forks a worker that runs the fuzzing loop
 * in-process (DESIGN.md, mode 1). The two share one anonymous mapping,
 * struct lf_shared: the input in flight (the worker mutates it in place, so
 * it is always there when the worker dies), an execution counter for
 * timeouts, and a ring through which the worker hands new corpus entries to
 * the supervisor, which alone writes files.
 */
#ifndef FERRET_DRIVER_H
#define FERRET_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "mutate.h"

struct lf_opts {
#define FLAG_INT(name, def) long long name;
#define FLAG_STR(name, def) const char *name;
#define FLAG(name, kind, def, help) FLAG_##kind(name, def)
#define IGNORED(name, why)
#include "lf_flags.def"
#undef FLAG
#undef IGNORED
#undef FLAG_INT
#undef FLAG_STR
	/* operands */
	char **dirs; /* corpus directories (new inputs go to dirs[0]) */
	size_t n_dirs;
	char **files; /* inputs to run once */
	size_t n_files;
	char **argv; /* the original command line (for -jobs) */
	int argc;
	long smith_test; /* FERRET_TEST index being fuzzed, -1 for LLVMFuzzerTestOneInput */
};

/* Parses argv into o (defaults first). Unknown flags get libFuzzer's
 * warning; a flag with a bad value dies with one line. */
void lf_parse(struct lf_opts *o, int argc, char **argv);
void lf_help(const char *prog);

/* Bytes of the ring of new entries the worker hands the supervisor. A
 * record is a u32 length and the bytes; with LF_RING_REMOVE set in the
 * length, the bytes are the sha1 of an entry passive minimization dropped. */
#define LF_RING_BYTES (8u << 20)
#define LF_RING_REMOVE 0x80000000u
/* libFuzzer's exit code after an out-of-memory (its OOMExitCode). */
#define LF_OOM_EXIT_CODE 71

/* Bytes of the log of values a FERRET_TEST consumed in the run in flight. */
#define LF_SLOG_BYTES (1u << 20)

struct lf_shared {
	volatile uint64_t execs;    /* worker: executions so far */
	volatile uint64_t exec_seq; /* worker: bumped as each input starts */
	volatile uint32_t running;  /* worker: inside the target */
	volatile uint32_t in_len;   /* length of the input in flight */
	volatile uint32_t died;     /* worker: a sanitizer's death callback ran */
	volatile uint32_t done;     /* worker: finished normally */
	volatile uint64_t ring_head, ring_tail; /* bytes written / consumed */
	volatile uint64_t new_units;            /* entries the worker added */
	volatile uint32_t malloc_oom;           /* worker: an allocation broke the limit */
	volatile uint64_t malloc_oom_size;
	volatile uint32_t from_i2s; /* the input in flight came from input-to-state */
	volatile uint32_t slog_len; /* FERRET_TEST: bytes of slog written */
	char base_sha[41];         /* sha1 of the entry the input was mutated from */
	uint8_t slog[LF_SLOG_BYTES]; /* FERRET_TEST: the values consumed so far */
	struct mutate_trace trace; /* the mutations of the input in flight */
	uint8_t ring[LF_RING_BYTES];
	uint8_t input[]; /* max_len bytes */
};

/* Runs the fuzzing loop in this process (the worker). Never returns. */
void lf_worker(const struct lf_opts *o, struct lf_shared *sh, size_t max_len,
	       uint8_t **seeds, size_t *seed_lens, size_t n_seeds) __attribute__((noreturn));

/* The supervisor: forks workers, watches them, writes artifacts. Returns
 * the process exit code. */
int lf_supervise(const struct lf_opts *o);

/* -merge=1 and -minimize_crash=1. Return the process exit code. */
int lf_merge(const struct lf_opts *o);
int lf_minimize_crash(const struct lf_opts *o);

/* Path of the last artifact lf_write_artifact wrote ("" if none). */
extern char lf_last_artifact[4096];

/* Writes an artifact (crash-, timeout-, oom-, minimized-from-) the way
 * libFuzzer names and announces it; returns 0 or -1. */
int lf_write_artifact(const struct lf_opts *o, const char *kind, const uint8_t *data,
		      size_t len);

/* FERRET_TEST binaries: list, replay the saved corpus, --fuzz, --run. */
int lf_tests_main(int argc, char **argv);

/* The harness's entry points (weak: a FERRET_TEST binary has none). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) __attribute__((weak));
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
    __attribute__((weak));
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max_out, unsigned int seed)
    __attribute__((weak));

/* Resident set size of a process in MiB (0 if unknown). */
size_t lf_rss_mb(int pid);

/* Reads all inputs of the corpus directories and files; used by the
 * supervisor before forking so workers inherit them. */
int lf_read_dir(const char *dir, uint8_t ***data, size_t **lens, size_t *n, size_t max_len);

#endif
