/*
 * ferret.c - main() of `ferret`: finds the subcommand in one table and hands
 * over. Each subcommand is one file (cmd_*.c) with its usage (usage.h);
 * here are the table, ferret's own help and the hidden options that print
 * the man pages.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "log.h"
#include "usage.h"
#include "banned.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct usage *usage; /* its --help and man page */
	const char *help;          /* one line: here and in its man page's NAME */
} commands[] = {
	{"fuzz", cmd_fuzz, &fuzz_usage, "fuzz a program built with ferret-cc (AFL-style)"},
	{"run", cmd_run, &run_usage, "run inputs through a program and say how each ended"},
	{"cmin", cmd_cmin, &cmin_usage, "keep the fewest inputs that hit every edge and bucket"},
	{"showmap", cmd_showmap, &showmap_usage, "print the edges an input hits"},
	{"tmin", cmd_tmin, &tmin_usage,
	 "shrink an input that keeps crashing or its coverage (afl-tmin)"},
	{"triage", cmd_triage, &triage_usage, "list the distinct crashes (bugs) of a fuzzing run"},
	{"plot", cmd_plot, &plot_usage,
	 "draw a run's progress over time as an SVG picture (afl-plot)"},
	{"show", cmd_show, &show_usage, "render a FERRET_TEST value stream as text"},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct usage_opt ferret_opts[] = {
	{'h', "--help", "", "show this help (also: ferret help)"},
	{0, "--version", "", "print the version"},
	{0},
};

static const char *const ferret_synopsis[] = {"ferret COMMAND [options]", "ferret --version", NULL};

/* ferret's own page lists the commands and every page of the manual. */
static void ferret_help(FILE *out, int man)
{
	static struct usage_item cmds[N_COMMANDS + 1];
	static char see_also[1024];
	size_t n = 0;
	for (size_t i = 0; i < N_COMMANDS; i++) {
		cmds[i] = (struct usage_item){commands[i].name, commands[i].help};
		if (n < sizeof(see_also))
			n += (size_t)snprintf(see_also + n, sizeof(see_also) - n, "%s(1), ",
					      commands[i].usage->page);
	}
	if (n < sizeof(see_also))
		snprintf(see_also + n, sizeof(see_also) - n, "ferret-cc(1), ferret-libfuzzer(1)");
	struct usage u = {
		.page = "ferret",
		.summary = "a coverage-guided fuzzer",
		.synopsis = ferret_synopsis,
		.description = "Runs one of the commands below: 'ferret COMMAND --help' describes\n"
			       "each. Programs to fuzz are built with the compiler wrappers\n"
			       "ferret-cc and ferret-c++.",
		.opts = ferret_opts,
		.cmds = cmds,
		.see_also = see_also,
		.flags = USAGE_NO_HELP_OPT,
	};
	if (man)
		usage_man(out, &u, FERRET_VERSION);
	else
		usage_print(out, &u);
}

/*
 * Hidden options the build uses to write the man pages (make man):
 * --commands lists the commands, one a line; --man prints ferret(1),
 * COMMAND --man a command's page and --man-libfuzzer the harness flags.
 */
static int hidden(int argc, char **argv)
{
	if (!strcmp(argv[1], "--commands")) {
		for (size_t i = 0; i < N_COMMANDS; i++)
			printf("%s\n", commands[i].name);
		return 1;
	}
	if (!strcmp(argv[1], "--man")) {
		ferret_help(stdout, 1);
		return 1;
	}
	if (!strcmp(argv[1], "--man-libfuzzer")) {
		usage_man(stdout, &lf_usage, FERRET_VERSION);
		return 1;
	}
	for (size_t i = 0; argc == 3 && !strcmp(argv[2], "--man") && i < N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			struct usage u = *commands[i].usage;
			u.summary = commands[i].help;
			usage_man(stdout, &u, FERRET_VERSION);
			return 1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		ferret_help(stderr, 0);
		return 1;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		ferret_help(stdout, 0);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ferret %s\n", FERRET_VERSION);
		return 0;
	}
	if (hidden(argc, argv))
		return 0;
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	die("unknown command '%s' (see 'ferret --help')", argv[1]);
}
