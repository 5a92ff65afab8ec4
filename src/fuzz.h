/*
 * fuzz.h - `ferret fuzz`: the AFL-style loop that drives an instrumented
 * program from outside. It ties the parts together: seeds or a resumed
 * queue go through calibration into the corpus; the scheduler picks an
 * entry, havoc and splicing mutate it, the target runs it, feedback decides
 * what to keep, and crashes and hangs are saved with AFL's names.
 */
#ifndef FERRET_FUZZ_H
#define FERRET_FUZZ_H

#include <signal.h>
#include <stdint.h>

#include "corpus.h"
#include "stats.h"
#include "ui.h"

enum fuzz_role {
	ROLE_ALONE,     /* no -M/-S: no syncing */
	ROLE_MAIN,      /* -M: imports from every other instance */
	ROLE_SECONDARY, /* -S: imports from the main instance only */
};

#define FUZZ_MAX_DICTS 16
#define FUZZ_MAX_CUSTOM 16

struct fuzz_opts {
	const char *in_dir;  /* seeds; ignored when resuming */
	const char *out_dir; /* OUT; the instance writes OUT/<name> */
	const char *name;    /* instance name, "default" without -M/-S */
	enum fuzz_role role;
	uint32_t timeout_ms;
	uint64_t mem_limit_mb; /* 0: no limit */
	uint64_t seed;
	int seed_set;
	uint64_t max_seconds; /* 0: no limit */
	uint64_t max_execs;   /* 0: no limit */
	int stop_on_crash;
	int show_output; /* let the target write to the terminal */
	int no_ui;       /* status lines even on a terminal (--no-ui, AFL_NO_UI) */
	int force_ui;    /* the screen even off a terminal (AFL_FORCE_UI) */
	int bind_cpu;    /* -1: pick a free one, -2: do not bind, else that CPU */
	const char *dicts[FUZZ_MAX_DICTS]; /* -x paths */
	size_t n_dicts;
	int dict_strict;
	const char *custom[FUZZ_MAX_CUSTOM]; /* --custom-mutator paths, after
						AFL_CUSTOM_MUTATOR_LIBRARY's */
	size_t n_custom;
	int custom_only;   /* --custom-only or AFL_CUSTOM_MUTATOR_ONLY */
	int no_cmp;        /* no input-to-state, no automatic dictionary */
	int value_profile; /* compare distances as coverage */
	enum corpus_schedule schedule;
	uint32_t jobs; /* -j: instances (0: one per free CPU); only with jobs_set */
	int jobs_set;
	/* an instance of -j: its numbers go to publish(publish_ctx, ...) a few
	 * times a second (jobs.c), and it prints no status lines */
	void (*publish)(void *ctx, const struct stats *s, const struct ui_view *v, int cpu);
	void *publish_ctx;
	char *const *argv;   /* target command line, "@@" for the input file */
	const char *cmdline; /* the engine's own command line, for stats */
};

/* Set by the signal handler: finish the current run, write stats, return. */
extern volatile sig_atomic_t fuzz_stop_requested;

/* Checks what the user can get wrong before anything is created (the seed
 * directory unless OUT/NAME holds a queue to resume, the target): dies
 * with one line. fuzz_run calls it; so does -j, for each instance, before
 * it starts any. */
void fuzz_check(const struct fuzz_opts *o);

/* Runs the fuzzer until a stop condition. Dies with one line on a setup
 * error; returns the process exit status otherwise. */
int fuzz_run(const struct fuzz_opts *o);

#endif
