/*
 * commands.h - the subcommands of `ferret`, one file each (cmd_*.c), and
 * the helper they share to split "FILE... -- PROGRAM ARGS" command lines.
 */
#ifndef FERRET_COMMANDS_H
#define FERRET_COMMANDS_H

#include <stdint.h>

int cmd_fuzz(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_cmin(int argc, char **argv);
int cmd_showmap(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_tmin(int argc, char **argv);
int cmd_triage(int argc, char **argv);

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
 * Parses `[-t MS] [-m MB] [-o FILE] [-r] [-S] [FILE...] -- PROGRAM ARGS [-- FILE...]`.
 * Without a second "--" and without files before the first, the arguments
 * after the last one holding "@@" are the files (`-- ./prog @@ FILE...`).
 * May rewrite argv (NULL-terminates the two lists). Dies on bad usage.
 */
void replay_parse(int argc, char **argv, const char *cmd, struct replay_args *a);

/* The value of option opt as a whole number up to max; dies with one line
 * otherwise. */
uint64_t replay_number(const char *opt, const char *v, uint64_t max);

struct target;
/* Starts a's program for replaying inputs (cmd_run.c); tmpl is the
 * mkstemp template of the input file for "@@". Dies with one line. */
int replay_start(struct target *t, const struct replay_args *a, int quiet, char *tmpl);

/* Whether the program at path is a libFuzzer-style harness (ferret's or
 * libFuzzer's driver: its inputs are file arguments, stdin makes it fuzz,
 * and a deadly signal is exit 77). */
int replay_is_libfuzzer(const char *path);

#endif
