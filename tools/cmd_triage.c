/*
 * cmd_triage.c - `ferret triage OUT[/NAME]`: the bugs of a fuzzing run,
 * one line each: how many crashes had the signature, the signature (kind
 * and top three frames, src/triage.h) and the smallest saved reproducer.
 * Reads the index `ferret fuzz` keeps in OUT/NAME/bugs; given OUT, every
 * instance in it that has one. Runs nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "log.h"
#include "store.h"
#include "triage.h"
#include "banned.h"

static int has_index(const char *dir)
{
	char *p = path_join(dir, "bugs");
	int ok = p && access(p, R_OK) == 0;
	free(p);
	return ok;
}

static void list(const char *dir)
{
	struct triage *tr = triage_new(NULL, dir);
	if (!tr)
		die("out of memory");
	for (size_t i = 0; i < triage_bugs(tr); i++) {
		const char *r = triage_repro(tr, i);
		printf("%llu  %s  ", (unsigned long long)triage_count(tr, i),
		       triage_signature(tr, i));
		if (r)
			printf("%s/crashes/%s\n", dir, r);
		else
			printf("-\n");
	}
	triage_free(tr);
}

static const char *const triage_synopsis[] = {"ferret triage OUT[/NAME]", NULL};

const struct usage triage_usage = {
	.page = "ferret-triage",
	.synopsis = triage_synopsis,
	.description = "Lists the bugs `ferret fuzz` found, one line each: the number of\n"
		       "crashes, the signature (kind: top three frames in the target's own\n"
		       "code) and the smallest saved reproducer. OUT: every instance in it.",
	.files = "OUT/NAME/bugs: the crash index `ferret fuzz` keeps, one line per bug;\n"
		 "OUT/NAME/crashes: the reproducers it names.",
	.see_also = "ferret(1), ferret-fuzz(1), ferret-run(1), ferret-tmin(1)",
};

int cmd_triage(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage_print(stdout, &triage_usage);
		return 0;
	}
	if (argc != 2)
		die("usage: ferret triage OUT[/NAME]");
	const char *out = argv[1];
	if (has_index(out)) {
		list(out);
		return 0;
	}
	char **names;
	size_t n;
	if (store_list_dirs(out, &names, &n))
		die("no crash index in '%s' (neither '%s/bugs' nor an instance with one)", out,
		    out);
	size_t found = 0;
	for (size_t i = 0; i < n; i++) {
		char *dir = path_join(out, names[i]);
		if (!dir)
			die("out of memory");
		if (has_index(dir)) {
			list(dir);
			found++;
		}
		free(dir);
	}
	store_free_list(names, n);
	if (!found)
		die("no crash index in '%s' (neither '%s/bugs' nor an instance with one)", out,
		    out);
	return 0;
}
