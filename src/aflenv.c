/*
 * aflenv.c - AFL++'s environment variables for `ferret fuzz`. A user who
 * switches from afl-fuzz keeps the variables of their scripts; each one is
 * honoured or named in one warning line, never silently ignored. The rows
 * are in aflenv.def.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aflenv.h"
#include "log.h"
#include "banned.h"

enum aflenv_what { SET, SAME, ELSE, NO };

static const struct {
	const char *name;
	enum aflenv_what what;
	const char *text;
} table[] = {
#define AFLENV(name, what, text) {#name, what, text},
#include "aflenv.def"
#undef AFLENV
};

extern char **environ;

/* SET rows: what each does to the options. */
static void set(struct fuzz_opts *o, const char *name)
{
	if (!strcmp(name, "AFL_BENCH_UNTIL_CRASH"))
		o->stop_on_crash = 1;
	else if (!strcmp(name, "AFL_DEBUG_CHILD"))
		o->show_output = 1;
	else if (!strcmp(name, "AFL_NO_UI"))
		o->no_ui = 1;
	else if (!strcmp(name, "AFL_FORCE_UI"))
		o->force_ui = 1;
	else if (!strcmp(name, "AFL_NO_AFFINITY"))
		o->bind_cpu = -2;
}

void aflenv_apply(struct fuzz_opts *o)
{
	int quiet_unknown = getenv("AFL_IGNORE_UNKNOWN_ENVS") != NULL;
	for (char **e = environ; *e; e++) {
		if (strncmp(*e, "AFL_", 4))
			continue;
		size_t n = strcspn(*e, "=");
		size_t i = 0;
		while (i < sizeof(table) / sizeof(table[0]) &&
		       (strlen(table[i].name) != n || strncmp(table[i].name, *e, n)))
			i++;
		if (i == sizeof(table) / sizeof(table[0])) {
			if (!quiet_unknown)
				log_warn("%.*s is not an AFL++ variable ferret knows; ignored "
					 "(AFL_IGNORE_UNKNOWN_ENVS=1 silences this)",
					 (int)n, *e);
			continue;
		}
		if (table[i].what == SET)
			set(o, table[i].name);
		else if (table[i].what == NO)
			log_warn("%s is not supported by ferret, ignored: %s", table[i].name,
				 table[i].text);
	}
}
