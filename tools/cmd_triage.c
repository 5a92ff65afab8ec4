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

#include "commands.h"
#include "log.h"
#include "store.h"
#include "triage.h"
#include "banned.h"

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

int cmd_triage(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: ferret triage OUT[/NAME]\n\n"
		       "Lists the bugs `ferret fuzz` found, one line each: the number of\n"
		       "crashes, the signature (kind: top three frames in the target's own\n"
		       "code) and the smallest saved reproducer. OUT: every instance in it.\n");
		return 0;
	}
	if (argc != 2)
		die("usage: ferret triage OUT[/NAME]");
	const char *out = argv[1];
	size_t n;
	char **dirs = instance_dirs(out, "bugs", &n);
	if (!n)
		die("no crash index in '%s' (neither '%s/bugs' nor an instance with one)", out,
		    out);
	for (size_t i = 0; i < n; i++)
		list(dirs[i]);
	store_free_list(dirs, n);
	return 0;
}
