/*
 * commands.h - the subcommands of `ferret`, one file each (cmd_*.c), and
 * the helpers they share: finding the instances of an output directory
 * (instances.c) and splitting "FILE... -- PROGRAM ARGS" command lines
 * (replay_args.c).
 */
#ifndef FERRET_COMMANDS_H
#define FERRET_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "usage.h"

int cmd_fuzz(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_cmin(int argc, char **argv);
int cmd_showmap(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_tmin(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_plot(int argc, char **argv);

/*
 * The instance directories that OUT[/NAME] names (instances.c): out itself
 * when it holds file, else each subdirectory of out that does, sorted by
 * name. Returns a malloc'd array of malloc'd paths (store_free_list) and
 * their number in *n; NULL and 0 when there is none or out cannot be read.
 * Dies on out of memory.
 */
char **instance_dirs(const char *out, const char *file, size_t *n);

/* What each says about itself (--help, man page); each in its cmd_*.c. */
extern const struct usage fuzz_usage, run_usage, cmin_usage, showmap_usage, show_usage, tmin_usage,
	triage_usage, plot_usage;

/* The flags of libFuzzer-style harnesses, from driver/lf_flags.def
 * (lf_usage.c): ferret-libfuzzer(1). */
extern const struct usage lf_usage;

/* Options and operands common to run and showmap. */
struct replay_args {
	uint32_t timeout_ms;
	uint64_t mem_limit_mb;
	const char *out_path; /* showmap -o */
	char **files;         /* inputs to run (NULL-terminated, points into argv) */
	char **prog;          /* target command line (NULL-terminated, in argv) */
	int raw;              /* showmap -r: raw hit counts */
	int symbolize;        /* showmap -S: each edge's function and file:line */
};

/*
 * Parses `[-t MS] [-m MB] [-o FILE] [-r] [-S] [FILE...] -- PROGRAM ARGS [-- FILE...]`,
 * accepting the options of u's table (run: -t -m; showmap: all five).
 * Without a second "--" and without files before the first, the arguments
 * after the last one holding "@@" are the files (`-- ./prog @@ FILE...`).
 * May rewrite argv (NULL-terminates the two lists). Dies on bad usage.
 */
void replay_parse(int argc, char **argv, const struct usage *u, struct replay_args *a);

/* The value of option opt as a whole number up to max; dies with one line
 * otherwise. */
uint64_t replay_number(const char *opt, const char *v, uint64_t max);

/* The -t and -m options of every command that runs a program: their rows
 * of a usage table (what: the timeout's unit of work, "timeout per
 * input"; more: the rest of the sentence), and the one parser of their values: v is the value given
 * to the option spelled opt; it dies with one line on a bad one. */
#define REPLAY_OPT_T(what, more)                                                                   \
	{                                                                                          \
		't', NULL, "MS", what " in milliseconds (default 1000)" more                       \
	}
#define REPLAY_OPT_M                                                                               \
	{                                                                                          \
		'm', NULL, "MB", "address-space limit of PROGRAM in MiB, or none (default none)"   \
	}
void replay_limit(int short_name, const char *opt, const char *v, uint32_t *timeout_ms,
		  uint64_t *mem_limit_mb);

struct target;
/* Starts a's program for replaying inputs (cmd_run.c); tmpl is the
 * mkstemp template of the input file for "@@". Dies with one line. */
int replay_start(struct target *t, const struct replay_args *a, int quiet, char *tmpl);

/* The command line to run prog (NULL-terminated) with: a copy (free()
 * the array, not its strings), with "@@" added when prog is a
 * libFuzzer-style harness without one; *harness says whether it is one
 * (then a non-zero exit, 77, is its crash). */
char **replay_harness_argv(char **prog, int *harness);

/* Whether the program at path is a libFuzzer-style harness (ferret's or
 * libFuzzer's driver: its inputs are file arguments, stdin makes it fuzz,
 * and a deadly signal is exit 77). */
int replay_is_libfuzzer(const char *path);

#endif
