/*
 * ferret.c - main() of `ferret`: finds the subcommand in one table and hands
 * over. Each subcommand is one file (cmd_*.c); nothing else lives here.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "log.h"
#include "banned.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{"fuzz", cmd_fuzz, "fuzz a program built with ferret-cc (AFL-style)"},
	{"run", cmd_run, "run inputs through a program and say how each ended"},
	{"cmin", cmd_cmin, "keep the fewest inputs that hit every edge and bucket"},
	{"showmap", cmd_showmap, "print the edges an input hits"},
	{"tmin", cmd_tmin, "shrink an input that keeps crashing or its coverage (afl-tmin)"},
	{"triage", cmd_triage, "list the distinct crashes (bugs) of a fuzzing run"},
	{"plot", cmd_plot, "draw a run's progress over time as an SVG picture (afl-plot)"},
	{"show", cmd_show, "render a FERRET_TEST value stream as text"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: ferret COMMAND [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(out, "\n'ferret COMMAND --help' describes each; the compiler wrappers are\n"
		     "ferret-cc and ferret-c++.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ferret %s\n", FERRET_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	die("unknown command '%s' (see 'ferret --help')", argv[1]);
}
